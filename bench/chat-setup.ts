// Sets up the message-throughput benchmark the way people would, through Parley's HTTP API: the
// site admin creates agents, agents log in, connect in real time and go online, visitors open
// sessions, connect and ask for chats, and the assigned agent accepts each chat.
import type http from 'node:http';
import type WebSocket from 'ws';
import { connectCentrifugo } from './centrifugo-client.ts';
import { expectJson } from './http-client.ts';
import type { ParleyServer } from './parley-server.ts';
import { sourceAddress } from './source-addresses.ts';

/** One side of a chat: who it is (its personal channel's user), its token and its real-time socket. */
export interface Party {
  key: string;
  token: string;
  socket: WebSocket;
}

/** An accepted chat between one agent and one visitor. */
export interface BenchChat {
  chatId: number;
  agent: Party;
  visitor: Party;
}

/** Chats per agent; the agents' maxConcurrentChats. */
export const chatsPerAgent = 8;

/** Every frame any party's socket receives, with the party's key and arrival time. */
export type FrameListener = (partyKey: string, frame: string, at: number) => void;

/** The open chats, and the function that closes every party's socket. */
export interface OpenChats {
  chats: BenchChat[];
  close(): void;
}

/** Opens `count` active chats over ceil(count / chatsPerAgent) online agents. */
export async function openChats(server: ParleyServer, count: number, agent: http.Agent, onFrame: FrameListener): Promise<OpenChats> {
  let closing = false;
  const sockets: WebSocket[] = [];
  const connectParty = async (key: string, token: string): Promise<Party> => {
    const socket = await connectCentrifugo({
      url: server.wsUrl,
      token,
      onFrame: (frame, at) => onFrame(key, frame, at),
      // A party dropped during the run would show up as undelivered messages; say why.
      onClose: (code) => closing || process.stderr.write(`message-throughput: ${key} disconnected with ${code}\n`),
    });
    sockets.push(socket);
    return { key, token, socket };
  };
  const close = () => {
    closing = true;
    for (const socket of sockets) socket.terminate();
  };
  try {
    return { chats: await open(), close };
  } catch (err) {
    close();
    throw err;
  }

  async function open(): Promise<BenchChat[]> {
    const api = (path: string) => `${server.url}/api/v1${path}`;
    const admin = await expectJson<{ token: string }>(200, 'POST', api('/auth/login'), { body: server.site.admin, agent });

    const agents = new Map<number, Party>();
    for (let a = 0; a < Math.ceil(count / chatsPerAgent); a++) {
      const credentials = { email: `bench-agent-${a}@bench.parley.local`, password: 'bench-agent-pass' };
      const created = await expectJson<{ id: number }>(201, 'POST', api('/agents'), {
        token: admin.token,
        body: { ...credentials, name: `Bench agent ${a}`, maxConcurrentChats: chatsPerAgent },
        agent,
      });
      const login = await expectJson<{ token: string }>(200, 'POST', api('/auth/login'), { body: credentials, agent });
      agents.set(created.id, await connectParty(`agent:${created.id}`, login.token));
      await expectJson(200, 'PUT', api('/agents/me/status'), { token: login.token, body: { status: 'online' }, agent });
    }

    const chats: BenchChat[] = [];
    for (let v = 0; v < count; v++) {
      const session = await expectJson<{ token: string; visitor: { id: number } }>(201, 'POST', api(`/sites/${server.site.siteId}/visitors`), {
        body: { name: `Bench visitor ${v}` },
        agent,
        // Over 100 chats would pass the 120-a-minute limit on visitor sessions from one address.
        localAddress: sourceAddress(v),
      });
      const visitor = await connectParty(`visitor:${session.visitor.id}`, session.token);
      const chat = await expectJson<{ id: number; status: string; agentId: number | null }>(201, 'POST', api('/chats'), {
        token: session.token,
        body: {},
        agent,
      });
      const owner = chat.agentId === null ? undefined : agents.get(chat.agentId);
      if (chat.status !== 'assigned' || owner === undefined) throw new Error(`chat ${chat.id} was not assigned to a bench agent: ${JSON.stringify(chat)}`);
      await expectJson(200, 'POST', api(`/chats/${chat.id}/accept`), { token: owner.token, agent });
      chats.push({ chatId: chat.id, agent: owner, visitor });
    }
    return chats;
  }
}
