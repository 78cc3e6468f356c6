// The content of one message by its type: text, rich HTML, an image, a file, a robot answer.
import type { Message } from '../api/types.ts';
import { formatBytes } from '../i18n/format.ts';
import { useT } from '../i18n/i18n.ts';
import { Icon } from '../components/icons.tsx';
import { LinkifiedText } from './LinkifiedText.tsx';
import { RichContent } from './RichContent.tsx';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Only our own origin's or web addresses are used as file and image sources. */
function safeUrl(v: unknown): string | null {
  const url = str(v);
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function Attachment({ message }: { message: Message }) {
  const t = useT();
  const url = safeUrl(message.data.url);
  const name = str(message.data.name) ?? t('message.file');
  const size = typeof message.data.size === 'number' ? formatBytes(message.data.size) : null;
  if (message.type === 'image' && url) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" className="message-image-link">
        <img src={url} alt={name} className="message-image" loading="lazy" />
      </a>
    );
  }
  return (
    <span className="message-file">
      <Icon name="file" />
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer" download={name}>
          {name}
        </a>
      ) : (
        name
      )}
      {size && <span className="muted"> ({size})</span>}
    </span>
  );
}

interface Listed {
  question_id?: unknown;
  question_title?: unknown;
}

function RobotAnswer({ message }: { message: Message }) {
  const answer = str(message.data.answer) ?? str(message.data.content) ?? '';
  const listed = [...(Array.isArray(message.data.gus_list) ? message.data.gus_list : []), ...(Array.isArray(message.data.relate_list) ? message.data.relate_list : [])] as Listed[];
  const titles = listed.map((q) => str(q.question_title)).filter((q): q is string => q !== null);
  return (
    <>
      <LinkifiedText text={answer} />
      {titles.length > 0 && (
        <ul className="robot-suggestions">
          {titles.map((title) => (
            <li key={title}>{title}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export function MessageBody({ message }: { message: Message }) {
  const t = useT();
  if (message.deletedAt) return <em className="muted">{t('message.deleted')}</em>;
  if (message.type === 'image' || message.type === 'file') return <Attachment message={message} />;
  if (message.senderKind === 'bot') return <RobotAnswer message={message} />;
  const content = str(message.data.content);
  if (message.type === 'rich' && content !== null) return <RichContent html={content} />;
  if (content !== null) return <LinkifiedText text={content} />;
  return <em className="muted">{t('message.unsupported', { type: message.type })}</em>;
}
