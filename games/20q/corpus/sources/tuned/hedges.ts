import { pool, type Source } from '../types.js';

/** Predicates after "is it …" (with examples for the "(e.g., …)" frames) and after "something that …". */
export const TUNED_HEDGE_POOLS = {
  isPred: pool([
    ['alive', 'a:alive'], ['a living thing', 'a:alive'], ['an animal', 'a:animal', 'a dog or a cat'], ['a mammal', 'a:animal'], ['a plant', 'a:plant'],
    ['edible', 'a:edible'], ['something you can eat', 'a:edible'], ['man-made', 'a:man_made'], ['made by humans', 'a:man_made'], ['natural', '!a:man_made'],
    ['electronic', 'a:electronic'], ['an electronic device', 'a:electronic', 'a phone or a computer'], ['a vehicle', 'c:Vehicles', 'a car or a bus'],
    ['bigger than a breadbox', 'a:bigger_than_breadbox'], ['larger than a person', 'a:bigger_than_person'], ['small enough to fit in a pocket', 'a:fits_in_pocket'],
    ['heavy', 'a:heavy'], ['found in a kitchen', 'a:found_in_kitchen'], ['found in most homes', 'a:found_in_home'], ['used outdoors', 'a:outdoors'],
    ['made of metal', 'a:made_of_metal'], ['made of wood', 'a:made_of_wood'], ['made of fabric', 'a:made_of_fabric'], ['something you wear', 'a:worn'],
    ['a piece of clothing', 'c:Clothes', 'a shirt or a hat'], ['a piece of furniture', 'c:Furniture', 'a chair or a table'],
    ['a musical instrument', 'c:Musical Instruments', 'a guitar or a piano'], ['a kitchen utensil', 'c:Kitchen Tools', 'a spoon or a whisk'],
    ['a tool', 'a:tool', 'a hammer or a screwdriver'], ['a toy', 'c:Toys', 'a doll or a kite'], ['a fruit', 'c:Fruits', 'an apple or a banana'],
    ['a vegetable', 'c:Vegetables', 'a carrot or a potato'], ['used for cooking', 'a:prepares_food'], ['used for writing', 'a:writes', 'a pen or a pencil'],
    ['sharp', 'a:sharp'], ['soft', 'a:soft'], ['round', 'a:round'], ['a pet', 'a:pet'], ['a wild animal', 'a:wild'], ['jewelry', 'c:Jewelry', 'a ring or a necklace'],
    ['sports equipment', 'c:Sports', 'a ball or a racket'], ['related to sports', 'c:Sports'], ['used for transportation', 'a:carries_people'],
    ['a body of water', 'a:body_of_water'], ['something found in nature', '!a:man_made'], ['used in an office', 'a:found_in_office'],
    ['a kitchen appliance', 'a:kitchen_appliance', 'a blender or a toaster'], ['related to technology', 'a:electronic'], ['a machine', 'a:machine', 'a washing machine or a car'],
    ['handheld', 'a:fits_in_hand'], ['small enough to hold in one hand', 'a:fits_in_hand'], ['animate', 'a:alive'], ['used every day', 'a:used_daily'], ['a mineral', 'a:mineral'],
  ]),
  thatPred: pool([
    ['can fly', 'a:flies'], ['has wheels', 'a:has_wheels'], ['makes noise', 'a:makes_sound'], ['you can eat', 'a:edible'], ['people wear', 'a:worn'],
    ['you can sit on', 'a:used_for_sitting'], ['uses electricity', 'a:electronic'], ['has a screen', 'a:has_screen'], ['is used for cooking', 'a:prepares_food'],
    ['can cut things', 'a:cuts_things'], ['is commonly found indoors', '!a:outdoors'], ['is typically used outdoors', 'a:outdoors'], ['grows on trees', 'a:grows_on_trees'],
    ['lives on a farm', 'a:farm_animal'], ['has legs', 'a:has_legs'], ['you can ride', 'a:ridden_on'], ['holds liquid', 'a:holds_liquid'], ['you write with', 'a:writes'],
    ['has strings', 'a:has_strings'], ['you blow into', 'a:blown_into'], ['has buttons', 'a:has_buttons'], ['has moving parts', 'a:has_moving_parts'],
    ['you can hold in one hand', 'a:fits_in_hand'], ['people use every day', 'a:used_daily'], ['needs batteries or electricity', 'a:uses_batteries|a:electronic'],
    ['is made for children', 'c:Toys'], ['has a specific purpose', 'a:man_made'],
  ]),
};

/**
 * Verbose and hedged phrasings of small chat models: a long subject ("the object you're thinking of"),
 * "Would you say …", "something that …", examples in parentheses, a recap or a second sentence around the
 * question, several questions in one message.
 */
export const hedges: Source = {
  name: 'tuned/hedges',
  group: 'hedges',
  note: 'clem-ts frames in the style of Llama-3.2-1B and gpt-4o-mini Questioners, filled from the tuned predicate pools',
  templates: [
    { id: 'thinking-of', text: "Is the object you're thinking of {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, n: 18 },
    { id: 'would-say', text: 'Would you say it is {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 14 },
    { id: 'hidden-word', text: 'Is the hidden word {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 14 },
    { id: 'the-item', text: 'Is the item {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'okay', text: 'Okay, is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'next-question', text: 'Great! Next question: Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'thanks', text: 'Thanks! Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'numbered', text: '**Question 4:** Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'please-answer', text: 'Is it {p.t}? Please answer yes or no.', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'narrow-down', text: 'Is it {p.t}? This will help me narrow it down.', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'since-not-alive', text: "Since it's not alive, is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: '!a:alive', n: 14 },
    { id: 'so-man-made', text: "So it's man-made. Is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: 'a:man_made', n: 12 },
    { id: 'not-animal', text: "Okay, so it's not an animal. Is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: '!a:animal', n: 12 },
    { id: 'previous-answer', text: 'Based on your previous answer, is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 12 },
    { id: 'generally', text: 'Is it generally {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'typically', text: 'Is it typically {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'eg-parens', text: 'Is the object {p.t} (for example, {p.eg})?', meaning: '{p}', slots: { p: 'isPredEg' }, n: 16 },
    { id: 'like-tail', text: 'Is it {p.t}, like {p.eg}?', meaning: '{p}', slots: { p: 'isPredEg' }, n: 14 },
    { id: 'if-not', text: 'Is it an animal? If not, is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, given: '!a:animal', n: 12 },
    { id: 'or-is-it', text: 'Is it alive? Or is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'in-the-house', text: "I'm thinking it might be something in the house. Is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'narrow-first', text: 'Let me narrow it down. Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 9 },
    { id: 'something-that', text: 'Is it something that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 18 },
    { id: 'object-something-that', text: 'Is the object something that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 12 },
    { id: 'an-object-that', text: 'Is it an object that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 12 },
    { id: 'a-thing-that', text: 'Is it a thing that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 9 },
    { id: 'an-item-that', text: 'Is it an item that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 9 },
    { id: 'thinking-that', text: "Is the object you're thinking of something that {q.t}?", meaning: '{q}', slots: { q: 'thatPred' }, n: 12 },
  ],
};
