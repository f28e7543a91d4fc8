/** The escalation ladder and review reminders the escalation tests run, with seconds for the runbooks' minutes. */
export const LADDER = `
updateInterval: 1h
severities:
  SEV1:
    escalation:
      - { tier: On-call engineer, after: 0, page: ["@oncall"], until: acknowledged }
      - { tier: Team lead, after: 3s, page: [UDAVE] }
      - { tier: CTO, after: 5s, page: [] }
  SEV2:
    escalation:
      - { tier: On-call engineer, after: 2s, page: ["@oncall"], until: acknowledged }
      - { tier: Team lead, after: 6s, page: [UDAVE] }
  SEV3:
    escalation:
      - { tier: Platform team, after: 0, page: ["@platform"] }
postMortemReview:
  severities: [SEV1]
  within: 10s
  remindEvery: 2s
`;
