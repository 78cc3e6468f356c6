// The partner's theme: colours, font and sizes of its customers' agent consoles, chat widgets and
// control panels, edited beside a live preview of them (pages/theme/).
import { LoadState } from '../../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../../admin/src/components/useLoad.ts';
import { getTheme } from '../api/brand.ts';
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';
import '../styles/brand.css';
import { ThemeEditor } from './theme/ThemeEditor.tsx';

export function ThemePage() {
  const t = useT();
  const theme = useLoad(getTheme);
  return (
    <PortalPage id="theme" intro={t('theme.intro')}>
      {theme.data ? <ThemeEditor stored={theme.data} /> : <LoadState error={theme.error} onRetry={theme.reload} />}
    </PortalPage>
  );
}
