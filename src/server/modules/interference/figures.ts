// Headline figures of “三个规定”记录报告与零报告；制度文件 (CONTRACTS.md), registered with registerStat.
export {};
