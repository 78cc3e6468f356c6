// The site's side of the IM API: its settings, the offline messages customers left, and the
// survey answers. The routes in im.admin.routes.ts call these.
import type { Kysely } from 'kysely';
import type { VisitorsService } from '../visitors/index.ts';
import * as repo from './im.repository.ts';
import type { ImSettings, ImSettingsStore, SettingsChange } from './im.settings.ts';
import type { ImTables } from './im.tables.ts';

export interface OfflineMessageView {
  id: number;
  customerToken: string | null;
  customerName: string | null;
  groupId: number | null;
  content: string;
  email: string | null;
  phone: string | null;
  status: 'new' | 'handled';
  handledBy: number | null;
  createdAt: string;
  handledAt: string | null;
}

export interface SurveyAnswerView {
  chatId: number;
  agentId: number | null;
  optionId: number;
  optionText: string;
  remark: string | null;
  answeredAt: string;
}

/** The site admins' and agents' IM operations. */
export interface ImAdmin {
  settings(siteId: number): Promise<ImSettings>;
  /** Changes some settings; the robot's optional texts keep their current value when left out. */
  updateSettings(siteId: number, change: Omit<SettingsChange, 'robot'> & { robot?: Partial<ImSettings['robot']> | undefined }): Promise<ImSettings>;
  /** Offline messages, newest first. */
  offlineMessages(siteId: number, f: { status?: 'new' | 'handled' | undefined; limit: number; before?: number | undefined }): Promise<OfflineMessageView[]>;
  /** Marks an offline message handled (by an agent) or new again; false if the site has no such message. */
  setOfflineMessageStatus(siteId: number, id: number, status: 'new' | 'handled', agentId: number): Promise<boolean>;
  /** Survey answers, newest session first. */
  surveys(siteId: number, limit: number, beforeChatId?: number): Promise<SurveyAnswerView[]>;
}

export interface ImAdminDeps {
  db: Kysely<ImTables>;
  settings: ImSettingsStore;
  visitors: Pick<VisitorsService, 'contacts'>;
}

/** The IM module's site-facing operations. */
export function createImAdmin({ db, settings, visitors }: ImAdminDeps): ImAdmin {
  return {
    settings: (siteId) => settings.get(siteId),

    async updateSettings(siteId, { robot, ...rest }) {
      const current = robot ? (await settings.get(siteId)).robot : undefined;
      return settings.update(siteId, { ...rest, ...(robot && current && { robot: { ...current, ...robot } }) });
    },

    async offlineMessages(siteId, f) {
      const rows = await repo.listOfflineMessages(db, siteId, { status: f.status, limit: f.limit, beforeId: f.before });
      const contacts = await visitors.contacts(siteId, rows.map((r) => r.visitor_id));
      return rows.map((r) => ({
        id: r.id,
        customerToken: contacts.get(r.visitor_id)?.customerToken ?? null,
        customerName: contacts.get(r.visitor_id)?.name ?? null,
        groupId: r.group_id,
        content: r.content,
        email: r.email,
        phone: r.phone,
        status: r.status,
        handledBy: r.handled_by,
        createdAt: r.created_at,
        handledAt: r.handled_at,
      }));
    },

    async setOfflineMessageStatus(siteId, id, status, agentId) {
      return (await repo.setOfflineMessageStatus(db, siteId, id, status, agentId)) !== undefined;
    },

    async surveys(siteId, limit, beforeChatId) {
      const rows = await repo.listSurveys(db, siteId, limit, beforeChatId);
      return rows.map((r) => ({ chatId: r.chat_id, agentId: r.agent_id, optionId: r.option_id, optionText: r.option_text, remark: r.remark, answeredAt: r.updated_at }));
    },
  };
}
