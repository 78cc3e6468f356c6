// Real image files made in the test (no binary fixtures): a PNG drawn pixel by pixel, and a small
// logo of the kind partners upload.
import { crc32, deflateSync } from 'node:zlib';

/** A PNG of `width`×`height` RGBA pixels drawn by `pixel`. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A 96×28 logo: a badge of `rgb` with three white bars. */
export function badgeLogo(rgb: [number, number, number]): Buffer {
  return png(96, 28, (x, y) => {
    const inside = x >= 2 && x < 94 && y >= 2 && y < 26;
    const bar = y >= 9 && y < 19 && [14, 38, 62].some((left) => x >= left && x < left + 16);
    return !inside ? [0, 0, 0, 0] : bar ? [255, 255, 255, 255] : [...rgb, 255];
  });
}
