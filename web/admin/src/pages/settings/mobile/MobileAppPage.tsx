// The mobile app's WebView chat: the skills the app sends (the group answering each, the app's
// deep link), and below them how a signed-in customer's Ssotoken is verified (TokenSection.tsx).
import { fetchGroups } from '../../../api/panel.ts';
import { fetchSkills } from '../../../api/settings.ts';
import type { Group, WebviewSkill } from '../../../api/types.ts';
import { LoadState, Page } from '../../../components/Page.tsx';
import { useLoad } from '../../../components/useLoad.ts';
import { useT } from '../../../i18n/i18n.ts';
import { SkillsSection } from './SkillsSection.tsx';
import { TokenSection } from './TokenSection.tsx';

export interface Skills {
  skills: WebviewSkill[];
  groups: Group[];
}

async function fetchSkillsAndGroups(): Promise<Skills> {
  const [skills, groups] = await Promise.all([fetchSkills(), fetchGroups()]);
  return { skills, groups: [...groups].sort((a, b) => a.name.localeCompare(b.name)) };
}

export function MobileAppPage() {
  const t = useT();
  const skills = useLoad(fetchSkillsAndGroups);
  return (
    <Page id="mobileApp" intro={t('mobileApp.intro')}>
      {skills.data ? (
        <SkillsSection data={skills.data} onChanged={skills.reload} />
      ) : (
        <LoadState error={skills.error} onRetry={skills.reload} />
      )}
      <TokenSection />
    </Page>
  );
}
