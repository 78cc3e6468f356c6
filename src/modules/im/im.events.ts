// Events the IM module publishes, written in the transaction that made the change.

/** The customer answered the satisfaction survey of a chat (answering again replaces the answer). */
export interface SurveyAnswered {
  name: 'survey.answered';
  siteId: number;
  chatId: number;
  visitorId: number;
  /** The agent the answer is about. */
  agentId: number;
  optionId: number;
  optionText: string;
  remark: string | null;
}

export type ImEvent = SurveyAnswered;
