// Headline figures of 法律志愿服务进乡村“1155”工程 (CONTRACTS.md), registered with registerStat.
export {};
