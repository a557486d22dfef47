// Headline figures of 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件 (CONTRACTS.md), registered with registerStat.
export {};
