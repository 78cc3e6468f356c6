// Alert sounds synthesised with WebAudio, so there is no audio file to ship or to load. Browsers
// keep an AudioContext silent until the page gets a gesture: unlockAudio runs on the first one.
type Tone = { freq: number; at: number; length: number };

const CHIMES: Record<'incoming' | 'message', { tones: Tone[]; volume: number }> = {
  // A rising three-note chime for a new chat: noticeable from across the room.
  incoming: {
    volume: 0.22,
    tones: [
      { freq: 659.25, at: 0, length: 0.18 },
      { freq: 783.99, at: 0.16, length: 0.18 },
      { freq: 1046.5, at: 0.32, length: 0.35 },
    ],
  },
  // A soft single tick for a message in a chat you are not looking at.
  message: { volume: 0.12, tones: [{ freq: 880, at: 0, length: 0.14 }] },
};

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  if (typeof AudioContext === 'undefined') return null;
  context = new AudioContext();
  return context;
}

/** Call from a user gesture (click, key): lets later sounds play. */
export function unlockAudio(): void {
  const ctx = audio();
  if (ctx?.state === 'suspended') void ctx.resume();
}

export function playChime(kind: 'incoming' | 'message'): void {
  const ctx = audio();
  if (ctx?.state !== 'running') return;
  const { tones, volume } = CHIMES[kind];
  const start = ctx.currentTime + 0.02;
  for (const tone of tones) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = tone.freq;
    // A quick attack and an exponential decay sound like a bell instead of a click.
    const t0 = start + tone.at;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(volume, t0 + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + tone.length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + tone.length + 0.05);
  }
}
