/** One check of the shared game suite. */
export interface GameCheck {
  name: 'instances' | 'generator' | 'plays' | 'garbage' | 'scores' | 'replays';
  passed: boolean;
  /** What was checked, or what failed and where. */
  detail: string;
}
