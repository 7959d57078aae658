// Illustrations for the sample content, drawn here as SVG so the project ships
// its own pictures (no download, no third-party rights). Each is 1600×1000.

const W = 1600;
const H = 1000;

function svg(body: string): Uint8Array {
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${body}</svg>`,
  );
}

/** A council chamber at dusk: a domed hall over a square with lamps. */
export function drawCouncilHall(): Uint8Array {
  const windows = Array.from({ length: 9 }, (_, i) => {
    const x = 470 + i * 75;
    return `<rect x="${x}" y="520" width="34" height="110" rx="17" fill="#f6d58e" opacity="${0.55 + (i % 3) * 0.15}"/>`;
  }).join('');
  const columns = Array.from(
    { length: 8 },
    (_, i) => `<rect x="${520 + i * 80}" y="660" width="26" height="200" fill="#d9cbb4"/>`,
  ).join('');
  const lamps = [180, 380, 1220, 1420]
    .map(
      (x) =>
        `<rect x="${x}" y="640" width="8" height="260" fill="#2b2b33"/><circle cx="${x + 4}" cy="635" r="22" fill="#ffe7a3"/><circle cx="${x + 4}" cy="635" r="60" fill="#ffe7a3" opacity="0.18"/>`,
    )
    .join('');
  return svg(`
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2c3e66"/><stop offset="0.6" stop-color="#c0698b"/><stop offset="1" stop-color="#f2a96b"/>
    </linearGradient></defs>
    <rect width="${W}" height="${H}" fill="url(#sky)"/>
    <circle cx="1280" cy="210" r="70" fill="#fbe3b5" opacity="0.8"/>
    <ellipse cx="800" cy="330" rx="190" ry="170" fill="#b9a98f"/>
    <rect x="780" y="120" width="40" height="70" fill="#8f8170"/>
    <rect x="420" y="420" width="760" height="460" fill="#cdbb9c"/>
    <polygon points="400,440 800,300 1200,440" fill="#a8977b"/>
    ${windows}${columns}
    <rect x="0" y="880" width="${W}" height="120" fill="#4a4550"/>
    <rect x="360" y="860" width="880" height="24" fill="#6c6672"/>
    ${lamps}`);
}

/** A ferry at a quay under grey skies, gulls over the water. */
export function drawFerryQuay(): Uint8Array {
  const waves = Array.from({ length: 14 }, (_, i) => {
    const y = 690 + i * 22;
    return `<path d="M0 ${y} Q 100 ${y - 12} 200 ${y} T 400 ${y} T 600 ${y} T 800 ${y} T 1000 ${y} T 1200 ${y} T 1400 ${y} T 1600 ${y}" stroke="#9fb7c4" stroke-width="3" fill="none" opacity="0.5"/>`;
  }).join('');
  const gulls = [
    [300, 220],
    [380, 180],
    [1120, 260],
    [1200, 200],
  ]
    .map(
      ([x, y]) =>
        `<path d="M${x} ${y} q 20 -22 40 0 q 20 -22 40 0" stroke="#f4f4f4" stroke-width="6" fill="none"/>`,
    )
    .join('');
  return svg(`
    <rect width="${W}" height="${H}" fill="#8c9aa6"/>
    <rect y="0" width="${W}" height="420" fill="#aab5be"/>
    <rect y="640" width="${W}" height="360" fill="#3f5f73"/>
    ${waves}
    <path d="M360 640 L1240 640 L1160 760 L440 760 Z" fill="#eeeeea"/>
    <rect x="520" y="520" width="520" height="120" fill="#f7f7f2"/>
    <rect x="620" y="440" width="300" height="80" fill="#e03c31"/>
    <rect x="860" y="360" width="50" height="80" fill="#33363b"/>
    ${Array.from({ length: 8 }, (_, i) => `<rect x="${545 + i * 62}" y="555" width="40" height="34" fill="#4d6b80"/>`).join('')}
    <rect x="0" y="700" width="300" height="300" fill="#5d5a55"/>
    <rect x="220" y="600" width="14" height="100" fill="#2f2d2a"/>
    ${gulls}`);
}

/** A desk with a notebook, a lamp and a stack of newspapers. */
export function drawNewsroomDesk(): Uint8Array {
  const lines = Array.from(
    { length: 9 },
    (_, i) =>
      `<rect x="700" y="${520 + i * 30}" width="${300 - (i % 3) * 50}" height="8" rx="4" fill="#8a8f98"/>`,
  ).join('');
  return svg(`
    <rect width="${W}" height="${H}" fill="#2f3542"/>
    <rect y="600" width="${W}" height="400" fill="#7a5436"/>
    <polygon points="660,480 1060,470 1100,860 620,870" fill="#f4f1e8"/>
    ${lines}
    <rect x="180" y="620" width="360" height="40" fill="#d9d4c5"/><rect x="170" y="660" width="380" height="40" fill="#cfc9b8"/><rect x="190" y="700" width="350" height="40" fill="#e3decf"/>
    <rect x="1250" y="380" width="18" height="380" fill="#1f1f24" transform="rotate(-12 1259 570)"/>
    <polygon points="1170,300 1380,300 1330,400 1220,400" fill="#c8a13a"/>
    <ellipse cx="1275" cy="520" rx="260" ry="90" fill="#ffe9a8" opacity="0.18"/>
    <circle cx="1290" cy="800" r="60" fill="#b33939"/><circle cx="1290" cy="800" r="40" fill="#3a2418"/>`);
}
