// One message of the log. Text is rendered as text; `rich` HTML (and robot answers written in
// HTML) through the allow-list of rich-text.ts; images inline, other files as download links;
// robot answers with their suggested questions, rating buttons and "learn more" link.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { BotData, FileData, ListedQuestion, Message } from '../api/types.ts';
import type { Dict } from '../i18n.ts';
import { rate } from '../state/actions.ts';
import { sendText } from '../state/outbox.ts';
import type { Pending, State } from '../state/store.ts';
import { looksLikeHtml, renderRich, safeUrl } from '../rich-text.ts';

function Rich({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (ref.current) renderRich(html, ref.current);
  }, [html]);
  return <div class="rich" ref={ref} />;
}

/** Text as text; HTML (agents' rich messages, robot answers written in HTML) through the allow-list. */
function Text({ text, html }: { text: unknown; html: boolean }) {
  const value = typeof text === 'string' ? text : '';
  return html ? <Rich html={value} /> : <p class="txt">{value}</p>;
}

function size(bytes: number | undefined): string {
  if (!bytes) return '';
  return bytes < 1024 * 1024 ? ` (${Math.ceil(bytes / 1024)} KB)` : ` (${(bytes / 1048576).toFixed(1)} MB)`;
}

function FileBody({ m, t }: { m: Message; t: Dict }) {
  const d = m.data as FileData;
  const url = safeUrl(d.url);
  const name = d.name || t.attach;
  if (!url) return <p class="txt">{name}</p>;
  return m.type === 'image' ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      <img class="img" src={url} alt={d.name || t.image} loading="lazy" />
    </a>
  ) : (
    <a class="file" href={url} target="_blank" rel="noopener noreferrer" download={d.name}>
      {name}
      {size(d.size)}
    </a>
  );
}

function Questions({ list, title, open }: { list: ListedQuestion[] | undefined; title: string; open: boolean }) {
  const titles = (list ?? []).map((q) => q.question_title ?? q.title ?? '').filter(Boolean);
  if (!titles.length) return null;
  return (
    <div class="qs">
      <p>{title}</p>
      {titles.map((q) => (
        <button key={q} type="button" class="chip" disabled={!open} data-testid="bot-suggestion" onClick={() => sendText(q)}>
          {q}
        </button>
      ))}
    </div>
  );
}

function BotAnswer({ m, s }: { m: Message; s: State }) {
  const d = m.data as BotData;
  const { t } = s;
  const open = s.chat?.status !== 'ended';
  const more = safeUrl(d.third_url);
  const rated = s.rated[m.id];
  return (
    <>
      <Text text={d.answer} html={looksLikeHtml(d.answer ?? '')} />
      <Questions list={d.gus_list} title={t.suggested} open={open} />
      <Questions list={d.relate_list} title={t.related} open={open} />
      {more && (
        <a href={more} target="_blank" rel="noopener noreferrer" data-testid="bot-more-link">
          {t.more}
        </a>
      )}
      {(d.question_id ?? 0) > 0 &&
        (rated === undefined ? (
          <div class="rate">
            <button type="button" class="chip" data-testid="rate-useful" onClick={() => void rate(m.id, true)}>
              <span aria-hidden="true">👍 </span>
              {t.useful}
            </button>
            <button type="button" class="chip" data-testid="rate-not-useful" onClick={() => void rate(m.id, false)}>
              <span aria-hidden="true">👎 </span>
              {t.notUseful}
            </button>
          </div>
        ) : (
          <p class="meta" data-testid="rated">
            {t.thanks}
          </p>
        ))}
    </>
  );
}

function sender(m: Message, s: State): string {
  if (m.senderKind === 'visitor') return s.t.you;
  if (m.senderKind === 'bot') return s.config.robot.name || s.t.robot;
  return s.agent?.id === m.senderId && s.agent.name ? s.agent.name : s.t.agent;
}

function time(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });
}

export function MessageItem({ m, s, seen }: { m: Message; s: State; seen: boolean }) {
  const { t } = s;
  // The agent's requests to the customer's app and the app's answers (the mobile WebView): a note.
  if (m.type === 'app' || m.type === 'app_result') {
    return (
      <p class="sys" data-testid="message" data-sender={m.senderKind} data-type={m.type} data-seq={m.seq}>
        {m.type === 'app' ? t.toApp : t.appAnswered}
      </p>
    );
  }
  if (m.senderKind === 'system') {
    // The close message says why only when the chat waited too long; a robot hand-over says it connects.
    const text = m.type === 'robot_transfer' ? t.transfer : m.type === 'close' ? m.data.offlineMessage : '';
    if (typeof text !== 'string' || !text) return null;
    return (
      <p class="sys" data-testid="message" data-sender="system" data-type={m.type} data-seq={m.seq}>
        {text}
      </p>
    );
  }
  let body = <Text text={m.data.content} html={m.type === 'rich'} />;
  if (m.deletedAt) body = <p class="txt del">{t.deleted}</p>;
  else if (m.senderKind === 'bot') body = <BotAnswer m={m} s={s} />;
  else if (m.type === 'image' || m.type === 'file') body = <FileBody m={m} t={t} />;
  return (
    <div class={`msg ${m.senderKind}`} data-testid="message" data-sender={m.senderKind} data-type={m.type} data-seq={m.seq}>
      <span class="sr">{sender(m, s)}: </span>
      <div class="bubble">{body}</div>
      <span class="meta">
        {time(m.createdAt, s.lang)}
        {seen && (
          <span data-testid="seen-marker">
            {' · '}
            {t.seen}
          </span>
        )}
      </span>
    </div>
  );
}

/** A message the server has not confirmed: "Sending…", or "Not sent." with Retry. */
export function PendingItem({ p, t, retry }: { p: Pending; t: Dict; retry: () => void }) {
  return (
    <div class="msg visitor pending" data-testid="message" data-sender="visitor" data-state={p.state}>
      <span class="sr">{t.you}: </span>
      <div class="bubble">
        <p class="txt">{p.text ?? p.file?.name}</p>
      </div>
      <span class="meta">
        {p.state === 'sending' ? (
          t.sending
        ) : (
          <>
            {p.error || t.failed}{' '}
            <button type="button" class="link" data-testid="retry-button" onClick={retry}>
              {t.retry}
            </button>
          </>
        )}
      </span>
    </div>
  );
}
