/**
 * A WAV file (RIFF, 16-bit PCM, little endian) of interleaved samples in [−1, 1]; values
 * beyond are clipped, as soundfile does when it writes PCM_16.
 */
export function encodeWav(samples: Float32Array, sampleRate: number, channels: number): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] as number;
    const clipped = x >= 1 ? 1 : x <= -1 ? -1 : x;
    view.setInt16(
      44 + i * 2,
      clipped < 0 ? Math.round(clipped * 0x8000) : Math.round(clipped * 0x7fff),
      true,
    );
  }
  return out;
}
