/**
 * What a question asks, in knowledge-base terms. `negated`: the question asks the opposite ("Is it
 * natural?" asks not man_made; "Is it not alive?"). A guess may name several words ("Is it a cat or a dog?").
 */
export type PartMapping = { kind: 'attribute'; id: string; negated: boolean } | { kind: 'category'; name: string; negated: boolean };
export type Mapping =
  | PartMapping
  /** Several things at once, all of them true ("a red fruit", "small and light"). */
  | { kind: 'all'; parts: PartMapping[]; negated: boolean }
  /** Either thing ("a fruit or a vegetable", "made of wood or metal"): yes when any part is. */
  | { kind: 'any'; parts: Mapping[]; negated: boolean }
  | { kind: 'guess'; words: string[]; negated: boolean }
  /** Something no word of the list is ("Is it a bird?"): the KB answers no for every word. */
  | { kind: 'never'; phrase: string; negated: boolean }
  /** Not understood; `offTask`: not a question about the object at all ("Would you like to play again?"). */
  | { kind: 'unmapped'; reason: string; offTask?: true };
