import { describe, expect, it } from 'vitest';
import { KB, KbFileSchema, createKnowledgeBase } from './kb.js';
import { WORDS, CATEGORIES } from './words.js';
import { parseData } from '../../registry/parse.js';

const words = WORDS.map((w) => w.word);
const inCategory = (c: string) => WORDS.filter((w) => w.category === c).map((w) => w.word);
const yesKey = (w: string) => KB.attributes.filter((a) => KB.has(w, a.id)).map((a) => a.id).join(',');

describe('word list', () => {
  it('holds LMRL-Gym\'s 158 words in 17 categories with their variants', () => {
    expect(WORDS).toHaveLength(158);
    expect(CATEGORIES).toHaveLength(17);
    const counts = Object.fromEntries(CATEGORIES.map((c) => [c, inCategory(c).length]));
    expect(counts).toEqual({
      Sports: 10, Animals: 10, Fruits: 10, Vehicles: 10, Clothes: 11, Electronics: 10, 'Musical Instruments': 10, Furniture: 10,
      'Office Supplies': 14, Vegetables: 10, Art: 7, 'Kitchen Tools': 10, Nature: 11, Toys: 5, Jewelry: 9, 'Garden Supplies': 5, Tools: 6,
    });
    expect(WORDS.find((w) => w.word === 'Airplane')?.variants).toEqual(['Airplane', 'Plane']);
    expect(WORDS.find((w) => w.word === 'Painting')?.variants).toEqual(['Painting', 'Canvas painting', 'Oil painting', 'Watercolor painting']);
  });
});

describe('knowledge base', () => {
  it('gives every word its category and at least 40 attributes, each separating some words', () => {
    expect(KB.attributes.length).toBeGreaterThanOrEqual(40);
    for (const w of WORDS) expect(KB.categoryOf(w.word)).toBe(w.category);
    for (const a of KB.attributes) {
      const yes = words.filter((w) => KB.has(w, a.id)).length;
      expect([a.id, yes > 0 && yes < words.length]).toEqual([a.id, true]);
    }
  });

  it('separates every two words except the documented near-duplicates', () => {
    const byKey = new Map<string, string[]>();
    for (const w of words) byKey.set(yesKey(w), [...(byKey.get(yesKey(w)) ?? []), w]);
    const same = [...byKey.values()].filter((g) => g.length > 1).map((g) => [...g].sort());
    const documented = KB.file.near_duplicates.map((d) => [...d.words].sort());
    expect(same.sort()).toEqual(documented.sort());
    // with the category as one more value, only Ocean/Sea stay together
    const withCategory = new Set(words.map((w) => `${KB.categoryOf(w)}|${yesKey(w)}`));
    expect(words.length - withCategory.size).toBe(1);
  });

  const every = (category: string, attributes: string[], negated: string[] = []) => {
    for (const w of inCategory(category)) {
      for (const a of attributes) expect([w, a, KB.has(w, a)]).toEqual([w, a, true]);
      for (const a of negated) expect([w, a, KB.has(w, a)]).toEqual([w, a, false]);
    }
  };
  it('agrees with its categories', () => {
    every('Animals', ['alive', 'animal', 'has_legs', 'makes_sound'], ['man_made', 'edible']);
    every('Electronics', ['electronic', 'man_made'], ['alive']);
    every('Fruits', ['edible', 'plant', 'found_in_kitchen'], ['man_made', 'alive']);
    every('Vegetables', ['edible', 'plant', 'found_in_kitchen'], ['man_made', 'alive']);
    every('Vehicles', ['carries_people', 'bigger_than_breadbox', 'outdoors', 'man_made']);
    every('Clothes', ['worn', 'man_made']);
    every('Jewelry', ['worn', 'man_made']);
    every('Musical Instruments', ['makes_sound', 'man_made']);
    every('Furniture', ['bigger_than_breadbox', 'man_made']);
    every('Kitchen Tools', ['found_in_kitchen', 'man_made'], ['edible']);
    every('Garden Supplies', ['outdoors', 'man_made']);
    every('Sports', ['outdoors', 'man_made']);
    every('Nature', ['outdoors'], ['man_made', 'edible']);
    for (const c of ['Office Supplies', 'Art', 'Toys', 'Tools']) every(c, ['man_made'], ['alive', 'edible']);
    expect(words.filter((w) => KB.has(w, 'animal'))).toEqual(inCategory('Animals'));
    expect(words.filter((w) => KB.has(w, 'ball'))).toEqual(inCategory('Sports').slice(0, 7));
  });

  it('keeps its implications', () => {
    const implies: [string, string][] = [
      ['animal', 'alive'], ['edible', 'plant'], ['bigger_than_car', 'bigger_than_person'], ['bigger_than_person', 'bigger_than_breadbox'],
      ['heavy', 'bigger_than_breadbox'], ['woodwind', 'blown_into'], ['feline', 'eats_meat'], ['pet', 'animal'], ['farm_animal', 'animal'],
      ['wild', 'animal'], ['salt_water', 'body_of_water'], ['body_of_water', 'is_place'], ['body_of_water', 'liquid'], ['has_engine', 'makes_sound'],
      ['has_screen', 'electronic'], ['used_with_computer', 'electronic'], ['carries_many_people', 'carries_people'], ['runs_on_tracks', 'has_wheels'],
      ['used_for_drinking', 'holds_liquid'], ['writes', 'long_and_thin'], ['bite_sized', 'fits_in_pocket'], ['played_with_bow', 'has_strings'],
      ['flows', 'body_of_water'], ['leafy', 'green'], ['has_pit', 'grows_on_trees'], ['kicked', 'ball'], ['inflated', 'ball'],
      ['uses_batteries', 'electronic'], ['plugged_in', 'electronic'], ['has_engine', 'has_motor'], ['power_tool', 'has_motor'], ['has_wings', 'flies'],
      ['string_instrument', 'has_strings'], ['has_reed', 'woodwind'], ['cutlery', 'used_for_eating'], ['accessory', 'worn'], ['pet', 'domesticated'],
      ['farm_animal', 'domesticated'], ['waters_plants', 'holds_liquid'], ['citrus', 'peeled'],
    ];
    for (const w of words) for (const [a, b] of implies) if (KB.has(w, a)) expect([w, a, b, KB.has(w, b)]).toEqual([w, a, b, true]);
    for (const w of words) {
      if (KB.has(w, 'alive')) expect([w, KB.has(w, 'man_made')]).toEqual([w, false]);
      if (KB.has(w, 'fits_in_pocket')) expect([w, KB.has(w, 'bigger_than_breadbox')]).toEqual([w, false]);
      for (const a of KB.attributes.filter((x) => x.id.startsWith('worn_on_') || x.id === 'worn_around_neck'))
        if (KB.has(w, a.id)) expect([w, a.id, KB.has(w, 'worn')]).toEqual([w, a.id, true]);
    }
    for (const w of inCategory('Animals')) expect([w, ['pet', 'farm_animal', 'wild'].filter((a) => KB.has(w, a)).length]).toEqual([w, 1]);
    // LMRL lists "Pair of …" variants exactly for the things that come in pairs
    for (const w of WORDS) expect([w.word, KB.has(w.word, 'comes_in_pair')]).toEqual([w.word, w.variants.some((v) => /^pair of /i.test(v))]);
  });

  it('keeps the implications of the long-tail attributes (issue 13, m13)', () => {
    const implies: [string, string][] = [
      ['eaten_raw', 'edible'], ['eaten_cooked', 'edible'], ['in_salads', 'edible'], ['crunchy', 'edible'], ['thick_peel', 'edible'], ['has_seeds', 'plant'],
      ['gives_milk', 'farm_animal'], ['gives_wool', 'farm_animal'], ['raised_for_meat', 'farm_animal'], ['has_paws', 'animal'], ['whiskers', 'has_paws'],
      ['has_horns', 'animal'], ['big_ears', 'animal'], ['african', 'wild'], ['jungle', 'wild'], ['hibernates', 'wild'], ['on_roads', 'has_wheels'],
      ['carries_cargo', 'carries_people'], ['steering_wheel', 'carries_people'], ['driven', 'carries_people'], ['plays_audio', 'electronic'],
      ['shows_video', 'has_screen'], ['has_camera', 'electronic'], ['plucked', 'has_strings'], ['has_slide', 'brass_instrument'],
      ['has_valves', 'brass_instrument'], ['used_with_ball', 'hits_things'], ['calculates', 'electronic'], ['spins', 'has_moving_parts'],
      ['has_gears', 'has_moving_parts'], ['gives_light', 'powered'], ['makes_holes', 'power_tool'], ['pinned', 'accessory'], ['expensive', 'man_made'],
      ['fragile', 'man_made'], ['shiny', 'made_of_metal'], ['tall', 'bigger_than_person'], ['colorful', 'bright_colored'], ['edible', 'sold_in_stores'],
      ['has_propeller', 'carries_people'], ['has_fish', 'body_of_water'], ['boats_on_it', 'body_of_water'], ['two_wheels', 'has_wheels'],
      ['stores_data', 'electronic'], ['typed_on', 'electronic'], ['has_remote', 'electronic'], ['grows_in_pod', 'edible'], ['has_husk', 'edible'],
      ['has_core', 'edible'], ['grows_in_bunches', 'edible'], ['comes_in_tube', 'liquid'], ['plays_audio', 'plays_music'], ['has_branches', 'plant'],
    ];
    for (const w of words) for (const [a, b] of implies) if (KB.has(w, a)) expect([w, a, b, KB.has(w, b)]).toEqual([w, a, b, true]);
    for (const w of words) {
      expect([w, KB.has(w, 'organic')]).toEqual([w, KB.has(w, 'animal') || KB.has(w, 'plant')]);
      if (KB.has(w, 'made_from_trees')) expect([w, KB.has(w, 'made_of_wood') || KB.has(w, 'made_of_paper')]).toEqual([w, true]);
      if (KB.has(w, 'has_sleeves') || KB.has(w, 'has_pockets')) expect([w, KB.categoryOf(w)]).toEqual([w, 'Clothes']);
      if (KB.has(w, 'on_court') || KB.has(w, 'on_field')) expect([w, KB.categoryOf(w)]).toEqual([w, 'Sports']);
      if (KB.has(w, 'flexible')) expect([w, KB.has(w, 'heavy')]).toEqual([w, false]);
    }
    expect(words.filter((w) => KB.has(w, 'played_with'))).toEqual(words.filter((w) => ['Toys', 'Musical Instruments'].includes(KB.categoryOf(w)) || (KB.categoryOf(w) === 'Sports' && w !== 'Helmet')));
  });

  it('answers the typical case where a careful person would (values fixed in review)', () => {
    const typical: [string, string, boolean][] = [
      ['Gloves', 'fits_in_pocket', true], ['Socks', 'fits_in_pocket', true], ['Tennis ball', 'fits_in_pocket', true],
      ['Eraser', 'found_in_office', true], ['Glue', 'found_in_office', true], ['Calculator', 'has_keyboard', true],
      ['Blender', 'holds_liquid', true], ['Shirt', 'soft', true], ['Gloves', 'soft', true], ['Horse', 'furry', true], ['Cow', 'furry', true],
      ['Peas', 'starchy', true], ['Brooch', 'mostly_women', true], ['Hairclip', 'mostly_women', true], ['Cup', 'used_for_eating', false],
      ['Television', 'shows_picture', true], ['Monitor', 'shows_picture', true], ['Smartphone', 'shows_picture', true],
      ['Computer', 'shows_picture', true], ['Camera', 'shows_picture', true],
      // attributes added in review, where one attribute answered two different questions
      ['Jacket', 'found_in_home', true], ['Basketball', 'found_in_home', true], ['Cat', 'found_in_home', true], ['Horse', 'found_in_home', false],
      ['Refrigerator', 'uses_batteries', false], ['Watch', 'plugged_in', false], ['Drill', 'has_motor', true], ['Drill', 'has_engine', false],
      ['Helicopter', 'has_wings', false], ['Tennis racket', 'string_instrument', false], ['Flute', 'has_reed', false], ['Cup', 'dishware', true],
      ['Plate', 'cutlery', false], ['Belt', 'accessory', true], ['Shirt', 'accessory', false], ['Saw', 'has_teeth', true], ['Toothbrush', 'has_teeth', false],
      ['Tree', 'has_leaves', true], ['Paintbrush', 'brush', true], ['Horse', 'domesticated', true], ['Horse', 'pet', false],
      ['Diary', 'written_in', true], ['Diary', 'writes', false], ['Canvas', 'used_for_painting', true], ['Key', 'opens_locks', true],
    ];
    expect(typical.filter(([w, a, want]) => KB.has(w, a) !== want)).toEqual([]);
  });

  it('refuses a KB that names an unknown attribute or misses a word, naming the place', () => {
    const bad = structuredClone(KB.file);
    bad.words[3] = { ...bad.words[3]!, yes: ['alive', 'no_such_attribute'] };
    expect(() => parseData(KbFileSchema, 'kb.json', bad)).toThrow('kb.json: words[3].yes[1]: unknown attribute \'no_such_attribute\'');
    const short = { ...KB.file, words: KB.file.words.slice(1) };
    expect(() => createKnowledgeBase(short)).toThrow("word 'Basketball' is missing from the knowledge base");
  });

  it('gives every word a size that agrees with its size attributes, and answers size_over from it', () => {
    const size = (w: string) => KB.file.sizes[w] as number;
    for (const w of words) {
      expect([w, size(w) > 45]).toEqual([w, KB.has(w, 'bigger_than_breadbox')]);
      expect([w, size(w) >= 150]).toEqual([w, KB.has(w, 'bigger_than_person')]);
      expect([w, size(w) > 450]).toEqual([w, KB.has(w, 'bigger_than_car')]);
    }
    expect(['Cat', 'Dog', 'Horse'].map((w) => KB.has(w, 'size_over:50'))).toEqual([false, true, true]);
    // size_under is strict: a word is neither bigger nor smaller than itself
    expect(['Cat', 'Dog', 'Horse'].map((w) => KB.has(w, 'size_under:75'))).toEqual([true, false, false]);
    const noSize = structuredClone(KB.file);
    delete noSize.sizes['Cat'];
    expect(() => parseData(KbFileSchema, 'kb.json', noSize)).toThrow("no size for 'Cat'");
  });
});
