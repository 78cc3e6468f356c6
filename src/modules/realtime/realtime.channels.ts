// Channel names. Personal channels are server-side subscriptions made at connect; chat and site
// channels are subscribed by clients, after a permission check.
export const channels = {
  agent: (agentId: number) => `agent:${agentId}`,
  visitor: (visitorId: number) => `visitor:${visitorId}`,
  chat: (chatId: number) => `chat:${chatId}`,
  site: (siteId: number) => `site:${siteId}`,
  /**
   * Every visitor connection of a site is in this channel's presence (nothing is published to
   * it): the agents' list of who is on the site now, across nodes. Never readable by clients.
   */
  siteVisitors: (siteId: number) => `visitors:${siteId}`,
};

/** Splits `kind:id` into its parts; undefined for any other shape. */
export function parseChannel(channel: string): { kind: 'agent' | 'visitor' | 'chat' | 'site'; id: number } | undefined {
  const match = /^(agent|visitor|chat|site):([1-9][0-9]{0,15})$/.exec(channel);
  if (!match) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { kind: match[1] as 'agent' | 'visitor' | 'chat' | 'site', id } : undefined;
}
