// The calls of the pages for campaigns, canned messages and the site's settings (routing, the
// robot, IM API keys, the webhook, the file limits, the mobile app), through the console's HTTP client.
import { del, get, patch, post, put, query } from '../../../console/src/api/http.ts';
import type {
  Campaign,
  CampaignSettings,
  CannedMessage,
  DeliveryPage,
  DeliveryStatus,
  FileSettings,
  FileSettingsChange,
  ImKey,
  ImSettings,
  ImSettingsChange,
  NewImKey,
  QuestionInput,
  RobotQuestion,
  WebhookSettings,
  WebviewSkill,
  WebviewSkillInput,
  WebviewTokenChange,
  WebviewTokenSettings,
} from './types.ts';

export const fetchCampaigns = () => get<Campaign[]>('/api/v1/campaigns');
export const createCampaign = (name: string) => post<Campaign>('/api/v1/campaigns', { name });
export const renameCampaign = (id: number, name: string) => patch<Campaign>(`/api/v1/campaigns/${id}`, { name });
/** Sends every section: the form shows them all, and `invitations` is replaced whole anyway. */
export const saveCampaignSettings = (id: number, settings: CampaignSettings) => patch<Campaign>(`/api/v1/campaigns/${id}`, { settings });
export const deleteCampaign = (id: number) => del<unknown>(`/api/v1/campaigns/${id}`);

/** The caller's own canned messages and the shared ones; the panel's page shows the shared ones. */
export const fetchSharedCanned = async () => (await get<CannedMessage[]>('/api/v1/canned-messages')).filter((c) => c.shared);
export const createSharedCanned = (input: { shortcut: string; title: string; content: string }) => post<CannedMessage>('/api/v1/canned-messages', { ...input, shared: true });
export const updateCanned = (id: number, change: { shortcut?: string; title?: string; content?: string }) => patch<CannedMessage>(`/api/v1/canned-messages/${id}`, change);
export const deleteCanned = (id: number) => del<unknown>(`/api/v1/canned-messages/${id}`);

export const fetchImSettings = () => get<ImSettings>('/api/v1/im/settings');
export const updateImSettings = (change: ImSettingsChange) => patch<ImSettings>('/api/v1/im/settings', change);

export const fetchFileSettings = () => get<FileSettings>('/api/v1/file-settings');
export const updateFileSettings = (change: FileSettingsChange) => patch<FileSettings>('/api/v1/file-settings', change);

export const fetchQuestions = () => get<RobotQuestion[]>('/api/v1/robot/questions');
export const createQuestion = (input: QuestionInput) => post<RobotQuestion>('/api/v1/robot/questions', input);
export const replaceQuestion = (id: number, input: QuestionInput) => put<RobotQuestion>(`/api/v1/robot/questions/${id}`, input);
export const deleteQuestion = (id: number) => del<unknown>(`/api/v1/robot/questions/${id}`);

export const fetchImKeys = () => get<ImKey[]>('/api/v1/im/keys');
export const createImKey = (name: string) => post<NewImKey>('/api/v1/im/keys', { name });
export const revokeImKey = (id: number) => post<ImKey>(`/api/v1/im/keys/${id}/revoke`, {});
export const deleteImKey = (id: number) => del<unknown>(`/api/v1/im/keys/${id}`);

export const fetchWebhook = () => get<WebhookSettings>('/api/v1/im/webhook');
export const setCallbackUrl = (callbackUrl: string | null) => put<WebhookSettings>('/api/v1/im/webhook', { callbackUrl });
export const rotateSecret = () => post<WebhookSettings>('/api/v1/im/webhook/rotate-secret');
export const fetchDeliveries = (status: DeliveryStatus | '', before: number | null) => get<DeliveryPage>(`/api/v1/im/deliveries${query({ status, before, limit: 20 })}`);
export const resendDelivery = (deliveryId: string) => post<unknown>(`/api/v1/im/deliveries/${deliveryId}/resend`);

export const fetchSkills = () => get<WebviewSkill[]>('/api/v1/webview/skills');
export const createSkill = (input: WebviewSkillInput & { name: string }) => post<WebviewSkill>('/api/v1/webview/skills', input);
export const updateSkill = (id: number, change: WebviewSkillInput) => patch<WebviewSkill>(`/api/v1/webview/skills/${id}`, change);
export const deleteSkill = (id: number) => del<unknown>(`/api/v1/webview/skills/${id}`);
/** Adds the spec's skills the site lacks; answers every skill. */
export const addStandardSkills = () => post<WebviewSkill[]>('/api/v1/webview/skills/presets');
export const fetchTokenSettings = () => get<WebviewTokenSettings>('/api/v1/webview/settings');
/** `secret` comes only when this save made one (jwt turned on without a secret). */
export const saveTokenSettings = (change: WebviewTokenChange) => put<WebviewTokenSettings & { secret?: string }>('/api/v1/webview/settings', change);
export const rotateTokenSecret = () => post<{ secret: string }>('/api/v1/webview/settings/secret');
