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
  /** The option is one of the first two of the site's survey (the spec lists them best first): it counts for CSAT. */
  satisfied: boolean;
  remark: string | null;
}

/** A visitor left a message for later (nobody was available, or the queue was full). */
export interface OfflineMessageLeft {
  name: 'offlineMessage.left';
  siteId: number;
  visitorId: number;
  offlineMessageId: number;
  groupId: number | null;
  /** Where it was left from, as chats record it (null: the widget). */
  channel: string | null;
}

export type ImEvent = SurveyAnswered | OfflineMessageLeft;
