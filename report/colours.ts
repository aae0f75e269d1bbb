/** Colour-blind-friendly categorical palette (Okabe–Ito, then Tableau), cycled for more series. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C564B', '#7F7F7F', '#BCBD22', '#17BECF'] as const;

/** The colour of series (or player) `index`, 0-based; repeats after ten. */
export function seriesColour(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;
}

/** The game master's colour in transcripts. */
export const GM_COLOUR = '#5b6473';
