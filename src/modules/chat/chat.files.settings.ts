// Who may send files in a site's chats, and how large (the chat module's section of the site's
// settings, `site_settings.files`). A site may lower the platform's limit (PARLEY_FILE_MAX_BYTES),
// never raise it; both sides may send files unless the site turns that off.
import { requirePermission, type SiteContext } from '../../platform/context.ts';
import { BadRequest } from '../../platform/errors.ts';
import type { SiteSettingsRecord, TenancyService } from '../tenancy/index.ts';

export interface FileSettings {
  visitorFiles: boolean;
  agentFiles: boolean;
  /** The largest file the site accepts, in bytes. */
  maxBytes: number;
  /** The platform's limit, the most a site may set. */
  platformMaxBytes: number;
}

export type FileSettingsChange = Partial<Pick<FileSettings, 'visitorFiles' | 'agentFiles' | 'maxBytes'>>;

/** A site's file settings from its stored record, the defaults filled in. */
export function fileSettingsOf(record: SiteSettingsRecord | undefined, platformMaxBytes: number): FileSettings {
  const stored = JSON.parse(record?.files ?? '{}') as FileSettingsChange;
  return {
    visitorFiles: stored.visitorFiles ?? true,
    agentFiles: stored.agentFiles ?? true,
    maxBytes: Math.min(stored.maxBytes ?? platformMaxBytes, platformMaxBytes),
    platformMaxBytes,
  };
}

export interface FileSettingsStore {
  get(siteId: number): Promise<FileSettings>;
  update(ctx: SiteContext, change: FileSettingsChange): Promise<FileSettings>;
}

export function createFileSettings(tenancy: Pick<TenancyService, 'settings'>, platformMaxBytes: number): FileSettingsStore {
  const get = async (siteId: number) => fileSettingsOf(await tenancy.settings.read(siteId), platformMaxBytes);
  return {
    get,
    async update(ctx, change) {
      requirePermission(ctx, 'manageSettings', 'change who may send files');
      if (change.maxBytes !== undefined && change.maxBytes > platformMaxBytes) {
        throw new BadRequest(`maxBytes may be at most ${platformMaxBytes}, the platform's limit.`, { errors: [{ path: '/body/maxBytes', message: `must be <= ${platformMaxBytes}` }] });
      }
      const { platformMaxBytes: _platform, ...current } = await get(ctx.siteId);
      await tenancy.settings.write(ctx.siteId, { files: JSON.stringify({ ...current, ...change }) });
      return get(ctx.siteId);
    },
  };
}
