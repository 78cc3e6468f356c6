// Channel names. Personal channels are server-side subscriptions made at connect; chat and site
// channels are subscribed by clients, after a permission check.
export const channels = {
  agent: (agentId: number) => `agent:${agentId}`,
  visitor: (visitorId: number) => `visitor:${visitorId}`,
  chat: (chatId: number) => `chat:${chatId}`,
  site: (siteId: number) => `site:${siteId}`,
};

/** Splits `kind:id` into its parts; undefined for any other shape. */
export function parseChannel(channel: string): { kind: keyof typeof channels; id: number } | undefined {
  const match = /^(agent|visitor|chat|site):([1-9][0-9]{0,15})$/.exec(channel);
  if (!match) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { kind: match[1] as keyof typeof channels, id } : undefined;
}
