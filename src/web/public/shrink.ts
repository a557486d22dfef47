// Photos made small enough to send from a phone: a camera picture of 5–12 MB becomes a JPEG whose
// longest side is at most 2048 px (text on a photographed 意见卡 stays legible) at quality 0.85,
// usually 0.5–1.5 MB. Drawing on a canvas applies the EXIF orientation and leaves every piece of
// metadata behind (camera, time, GPS position), which suits an anonymous submission.

export const MAX_SIDE = 2048;
const QUALITIES = [0.85, 0.75, 0.65];
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** True when a JPEG or WebP carries a GPS position in its EXIF block (sent as it is, it would tell where it was taken). */
export async function hasLocation(file: Blob): Promise<boolean> {
  const buf = new DataView(await file.slice(0, 256 * 1024).arrayBuffer());
  const exif = findExif(buf);
  if (exif === null) return false;
  try {
    const little = buf.getUint16(exif) === 0x4949; // "II"
    const u16 = (o: number) => buf.getUint16(exif + o, little);
    const u32 = (o: number) => buf.getUint32(exif + o, little);
    const ifd = u32(4);
    const count = u16(ifd);
    for (let i = 0; i < count; i++) if (u16(ifd + 2 + i * 12) === 0x8825) return true; // GPSInfo
  } catch {
    return true; // unreadable EXIF: do not take the chance
  }
  return false;
}

/** Offset of the TIFF header inside the EXIF block of a JPEG (APP1) or WebP (EXIF chunk), or null. */
function findExif(v: DataView): number | null {
  if (v.byteLength < 12) return null;
  if (v.getUint16(0) === 0xffd8) {
    let o = 2;
    while (o + 4 <= v.byteLength && v.getUint8(o) === 0xff) {
      const marker = v.getUint8(o + 1);
      const len = v.getUint16(o + 2);
      if (marker === 0xe1 && o + 10 <= v.byteLength && v.getUint32(o + 4) === 0x45786966 /* Exif */) return o + 10;
      if (marker === 0xda) break; // image data: no more metadata
      o += 2 + len;
    }
    return null;
  }
  if (v.getUint32(0) === 0x52494646 /* RIFF */ && v.getUint32(8) === 0x57454250 /* WEBP */) {
    let o = 12;
    while (o + 8 <= v.byteLength) {
      const size = v.getUint32(o + 4, true);
      if (v.getUint32(o) === 0x45584946 /* EXIF */) return o + 8 + (v.getUint32(o + 8) === 0x45786966 ? 6 : 0);
      o += 8 + size + (size % 2);
    }
  }
  return null;
}

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === 'function') {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      /* older browsers: the <img> below */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode(); // <img> applies the EXIF orientation itself
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

const toBlob = (canvas: HTMLCanvasElement, quality: number) =>
  new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));

/**
 * The file to upload: a photo larger than `maxBytes`, longer than MAX_SIDE or carrying a GPS
 * position comes back re-encoded as described above; anything else (a small photo, a PDF) as it
 * was. Null when a photo cannot be brought under `maxBytes` here (the browser cannot decode it).
 */
export async function prepareUpload(file: File, maxBytes: number): Promise<File | null> {
  if (!PHOTO_TYPES.includes(file.type)) return file.size <= maxBytes ? file : null;
  let img: ImageBitmap | HTMLImageElement;
  try {
    img = await decode(file);
  } catch {
    return file.size <= maxBytes ? file : null;
  }
  const w = 'naturalWidth' in img ? img.naturalWidth : img.width;
  const hgt = 'naturalHeight' in img ? img.naturalHeight : img.height;
  const located = file.type !== 'image/png' && (await hasLocation(file));
  if (file.size <= maxBytes && Math.max(w, hgt) <= MAX_SIDE && !located) {
    if ('close' in img) img.close();
    return file;
  }
  let side = Math.min(MAX_SIDE, Math.max(w, hgt));
  try {
    // Rarely (a huge, noisy picture) one pass is not small enough: lower the quality, then the size.
    for (let round = 0; round < 6; round++) {
      const scale = side / Math.max(w, hgt);
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(hgt * scale));
      const g = canvas.getContext('2d');
      if (!g) return null;
      // JPEG has no transparency: a transparent PNG gets white, not black.
      g.fillStyle = '#fff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.imageSmoothingQuality = 'high';
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      for (const q of QUALITIES) {
        const blob = await toBlob(canvas, q);
        if (blob && blob.size <= maxBytes) {
          const name = file.name.replace(/\.[^./\\]*$/, '') || 'photo';
          return new File([blob], `${name}.jpg`, { type: 'image/jpeg', lastModified: Date.now() });
        }
      }
      side = Math.round(side * 0.8);
    }
    return null;
  } finally {
    if ('close' in img) img.close();
  }
}
