// /favicon.ico: browsers ask for it on every page of the published docs, and a 404 there is an
// error in every reader's console. A 16×16 icon (a white "B" on BatchData blue), drawn here as
// rows of pixels and written as an ICO holding one 32-bit bitmap, so no binary file is kept.
const GLYPH = [
  '................',
  '................',
  '...#########....',
  '...##......##...',
  '...##......##...',
  '...##......##...',
  '...##.....##....',
  '...########.....',
  '...##......##...',
  '...##.......##..',
  '...##.......##..',
  '...##......##...',
  '...#########....',
  '................',
  '................',
  '................',
];
const SIZE = 16;
const BLUE = [0xbf, 0x5f, 0x1f, 0xff]; // B, G, R, A: #1f5fbf
const WHITE = [0xff, 0xff, 0xff, 0xff];

export function faviconIco(): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  // Bitmap rows run bottom-up.
  GLYPH.forEach((row, y) => [...row].forEach((cell, x) => Buffer.from(cell === '#' ? WHITE : BLUE).copy(pixels, ((SIZE - 1 - y) * SIZE + x) * 4)));
  const andMask = Buffer.alloc(SIZE * 4); // every pixel opaque; rows padded to 32 bits
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0); // BITMAPINFOHEADER
  info.writeInt32LE(SIZE, 4);
  info.writeInt32LE(SIZE * 2, 8); // colour bitmap and AND mask, stacked
  info.writeUInt16LE(1, 12); // planes
  info.writeUInt16LE(32, 14); // bits per pixel
  info.writeUInt32LE(pixels.length + andMask.length, 20);
  const image = Buffer.concat([info, pixels, andMask]);
  const entry = Buffer.alloc(16);
  entry.writeUInt8(SIZE, 0);
  entry.writeUInt8(SIZE, 1);
  entry.writeUInt16LE(1, 4); // planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(image.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, image]);
}
