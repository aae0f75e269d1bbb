import { WORDS } from '../../words.js';
import { pool, type PoolEntry } from './types.js';

/**
 * Slot values shared by the tuned and the held-out templates: the vocabulary of the knowledge base
 * (materials, categories, rooms, colours, parts, uses). The phrasings around them, the templates, are what
 * is split; the predicate pools of the hedges group are split too (tuned/hedges.ts, held-out/hedges.ts).
 */
const withArticle = (entries: PoolEntry[]): PoolEntry[] => entries.map((e) => ({ ...e, a: /^[aeiou]/.test(e.t) ? 'an ' : 'a ' }));

export const SHARED_POOLS: Record<string, PoolEntry[]> = {
  material: pool([
    ['wood', 'a:made_of_wood'], ['metal', 'a:made_of_metal'], ['plastic', 'a:made_of_plastic'], ['fabric', 'a:made_of_fabric'],
    ['paper', 'a:made_of_paper'], ['stone', 'a:made_of_stone'], ['leather', 'a:made_of_leather'], ['rubber', 'a:made_of_rubber'], ['glass', 'never'],
  ]),
  materialAdj: pool([['wooden', 'a:made_of_wood'], ['metal', 'a:made_of_metal'], ['plastic', 'a:made_of_plastic'], ['leather', 'a:made_of_leather'], ['rubber', 'a:made_of_rubber']]),
  kind: pool([
    ['a fruit', 'c:Fruits'], ['a vegetable', 'c:Vegetables'], ['an animal', 'a:animal'], ['a plant', 'a:plant'], ['a vehicle', 'c:Vehicles'],
    ['a tool', 'a:tool'], ['a toy', 'c:Toys'], ['a piece of furniture', 'c:Furniture'], ['a piece of clothing', 'c:Clothes'],
    ['a musical instrument', 'c:Musical Instruments'], ['a kitchen utensil', 'c:Kitchen Tools'], ['an electronic device', 'a:electronic'],
    ['a piece of jewelry', 'c:Jewelry'], ['sports equipment', 'c:Sports'], ['an office supply', 'c:Office Supplies'], ['a machine', 'a:machine'],
    ['a fashion accessory', 'a:accessory'], ['a body of water', 'a:body_of_water'],
  ]),
  kindBare: pool([
    ['fruit', 'c:Fruits'], ['vegetable', 'c:Vegetables'], ['animal', 'a:animal'], ['plant', 'a:plant'], ['vehicle', 'c:Vehicles'], ['tool', 'a:tool'],
    ['toy', 'c:Toys'], ['furniture', 'c:Furniture'], ['clothing', 'c:Clothes'], ['instrument', 'c:Musical Instruments'], ['jewelry', 'c:Jewelry'],
    ['food', 'a:edible'], ['machine', 'a:machine'], ['kitchen utensil', 'c:Kitchen Tools'], ['electronics', 'a:electronic'],
  ]),
  noun: withArticle(pool([
    ['animal', 'a:animal'], ['fruit', 'c:Fruits'], ['vegetable', 'c:Vegetables'], ['tool', 'a:tool'], ['toy', 'c:Toys'], ['object', '!never'],
    ['thing', '!never'], ['item', '!never'], ['piece of furniture', 'c:Furniture'], ['vehicle', 'c:Vehicles'],
  ])),
  room: pool([
    ['kitchen', 'a:found_in_kitchen'], ['bathroom', 'a:found_in_bathroom'], ['bedroom', 'a:found_in_bedroom'], ['office', 'a:found_in_office'],
    ['living room', 'a:found_in_living_room'], ['garage', 'a:found_in_garage'],
  ]),
  body: pool([
    ['head', 'a:worn_on_head'], ['feet', 'a:worn_on_feet'], ['hands', 'a:worn_on_hands'], ['neck', 'a:worn_around_neck'], ['wrist', 'a:worn_on_wrist'],
    ['ears', 'a:worn_on_ears'], ['upper body', 'a:worn_on_upper_body'], ['lower body', 'a:worn_on_lower_body'],
  ]),
  colour: pool([['red', 'a:red'], ['yellow', 'a:yellow'], ['green', 'a:green'], ['orange', 'a:orange_colored']]),
  adj: pool([
    ['small', '!a:bigger_than_breadbox'], ['big', 'a:bigger_than_breadbox'], ['heavy', 'a:heavy'], ['lightweight', '!a:heavy'], ['soft', 'a:soft'],
    ['round', 'a:round'], ['long', 'a:long_and_thin'], ['flat', 'a:flat'], ['sharp', 'a:sharp'], ['furry', 'a:furry'],
    ['noisy', 'a:makes_sound'], ['electronic', 'a:electronic'], ['edible', 'a:edible'], ['alive', 'a:alive'], ['portable', '!a:heavy'],
    ['tiny', 'a:fits_in_pocket'], ['green', 'a:green'], ['wooden', 'a:made_of_wood'], ['metallic', 'a:made_of_metal'], ['man-made', 'a:man_made'],
    ['natural', '!a:man_made'], ['decorative', 'a:decorative'], ['tropical', 'a:tropical'], ['striped', 'a:striped'], ['domesticated', 'a:domesticated'],
    ['wild', 'a:wild'], ['handheld', 'a:fits_in_hand'], ['red', 'a:red'], ['yellow', 'a:yellow'],
  ]),
  /** Adjectives that stand before a noun ("a small, furry animal"), with their article. */
  attrAdj: withArticle(pool([
    ['small', '!a:bigger_than_breadbox'], ['big', 'a:bigger_than_breadbox'], ['heavy', 'a:heavy'], ['lightweight', '!a:heavy'], ['soft', 'a:soft'],
    ['round', 'a:round'], ['long', 'a:long_and_thin'], ['flat', 'a:flat'], ['sharp', 'a:sharp'], ['furry', 'a:furry'],
    ['noisy', 'a:makes_sound'], ['electronic', 'a:electronic'], ['tiny', 'a:fits_in_pocket'], ['green', 'a:green'], ['wooden', 'a:made_of_wood'],
    ['metal', 'a:made_of_metal'], ['decorative', 'a:decorative'], ['tropical', 'a:tropical'], ['striped', 'a:striped'], ['wild', 'a:wild'],
    ['handheld', 'a:fits_in_hand'], ['red', 'a:red'], ['yellow', 'a:yellow'], ['orange', 'a:orange_colored'],
  ])),
  part: pool([
    ['wheels', 'a:has_wheels'], ['wings', 'a:has_wings'], ['legs', 'a:has_legs'], ['strings', 'a:has_strings'], ['a screen', 'a:has_screen'],
    ['keys', 'a:has_keyboard'], ['drawers', 'a:has_drawers'], ['a handle', 'a:has_handle'], ['an engine', 'a:has_engine'], ['a motor', 'a:has_motor'],
    ['fur', 'a:furry'], ['leaves', 'a:has_leaves'], ['a blade', 'a:cuts_things'], ['buttons', 'a:has_buttons'], ['a tail', 'a:has_tail'],
    ['pages', 'a:has_pages'], ['teeth', 'a:has_teeth'], ['a mane', 'a:has_mane'], ['eyes', 'a:has_eyes'], ['moving parts', 'a:has_moving_parts'],
  ]),
  use: pool([
    ['cooking', 'a:prepares_food'], ['eating', 'a:used_for_eating'], ['writing', 'a:writes'], ['cutting', 'a:cuts_things'], ['drinking', 'a:used_for_drinking'],
    ['sleeping', 'a:used_for_sleeping'], ['sitting', 'a:used_for_sitting'], ['painting', 'a:used_for_painting'], ['digging', 'a:digs'],
    ['storage', 'a:used_for_storage'], ['communication', 'a:used_for_communication'], ['entertainment', 'a:entertainment'],
    ['transportation', 'a:carries_people'], ['protection', 'a:protective'], ['drawing', 'a:writes'], ['gardening', 'c:Garden Supplies'], ['sports', 'c:Sports'],
  ]),
  ability: pool([
    ['fly', 'a:flies'], ['make noise', 'a:makes_sound'], ['cut things', 'a:cuts_things'], ['hold liquid', 'a:holds_liquid'], ['take pictures', 'a:takes_pictures'],
    ['tell time', 'a:tells_time'], ['carry people', 'a:carries_people'], ['get hot', 'a:gets_hot'], ['keep things cold', 'a:keeps_things_cold'],
    ['be eaten', 'a:edible'], ['be worn', 'a:worn'], ['grip things', 'a:grips'], ['show pictures', 'a:shows_picture'], ['be ridden', 'a:ridden_on'],
  ]),
  doWith: pool([['eat', 'a:edible'], ['wear', 'a:worn'], ['ride', 'a:ridden_on'], ['sit on', 'a:used_for_sitting'], ['write with', 'a:writes'], ['play', 'c:Musical Instruments']]),
  word: WORDS.map((w) => ({ t: w.word.toLowerCase(), a: w.article === '' ? '' : `${w.article} `, m: `g:${w.word}` })),
  variant: WORDS.flatMap((w) =>
    w.variants.slice(1).map((v) => {
      const t = v === 'TV' ? 'TV' : v.toLowerCase();
      const plural = /s$/i.test(v) && !/^pair of|^pack of|^bottle of/i.test(v) && v !== 'Glass';
      return { t, a: plural ? '' : /^[aeiou]/i.test(t) ? 'an ' : 'a ', m: `g:${w.word}` };
    }),
  ),
  animalWord: WORDS.filter((w) => w.category === 'Animals').map((w) => ({ t: w.word.toLowerCase(), a: `${w.article} `, m: `g:${w.word}` })),
};
