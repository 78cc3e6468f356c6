// The robot that answers first in IM API chats: its persona (name, picture, what it says), when it
// hands over to people, the questions it offers as a guide, and its knowledge base.
import { fetchImSettings, fetchQuestions } from '../../../api/settings.ts';
import type { ImSettings, RobotQuestion } from '../../../api/types.ts';
import { LoadState, Page } from '../../../components/Page.tsx';
import { useLoad } from '../../../components/useLoad.ts';
import { useT } from '../../../i18n/i18n.ts';
import { KnowledgeBase } from './KnowledgeBase.tsx';
import { PersonaForm } from './PersonaForm.tsx';

interface Robot {
  settings: ImSettings;
  questions: RobotQuestion[];
}

async function fetchRobot(): Promise<Robot> {
  const [settings, questions] = await Promise.all([fetchImSettings(), fetchQuestions()]);
  return { settings, questions };
}

export function RobotPage() {
  const t = useT();
  const robot = useLoad(fetchRobot);
  const data = robot.data;
  return (
    <Page id="robot" intro={t('robot.intro')}>
      {!data ? (
        <LoadState error={robot.error} onRetry={robot.reload} />
      ) : (
        <>
          <PersonaForm saved={data.settings.robot} questions={data.questions} onSaved={(settings) => robot.setData({ ...data, settings })} />
          <KnowledgeBase questions={data.questions} onChanged={robot.reload} />
        </>
      )}
    </Page>
  );
}
