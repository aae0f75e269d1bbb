import { pool, type Source } from '../types.js';

/** Held-out predicates: other wordings than the tuned pools. */
export const HELD_OUT_HEDGE_POOLS = {
  isPred: pool([
    ['a living organism', 'a:alive'], ['some kind of creature', 'a:animal', 'a horse or a rabbit'], ['a type of plant', 'a:plant'], ['something people eat', 'a:edible'],
    ['artificial', 'a:man_made'], ['found naturally', '!a:man_made'], ['powered by electricity', 'a:electronic'], ['a means of transport', 'a:carries_people', 'a car or a train'],
    ['larger than a bread box', 'a:bigger_than_breadbox'], ['taller than a human', 'a:bigger_than_person'], ['lightweight', '!a:heavy'], ['kept in the kitchen', 'a:found_in_kitchen'],
    ['a common household item', 'a:found_in_home'], ['usually kept outside', 'a:outdoors'], ['metallic', 'a:made_of_metal'], ['wooden', 'a:made_of_wood'],
    ['made of plastic', 'a:made_of_plastic'], ['an article of clothing', 'c:Clothes', 'pants or a jacket'], ['furniture', 'c:Furniture'],
    ['an instrument', 'c:Musical Instruments', 'a violin or a flute'], ['a type of fruit', 'c:Fruits', 'a mango or a peach'], ['a kind of vegetable', 'c:Vegetables'],
    ['a plaything', 'c:Toys'], ['sharp or pointy', 'a:sharp'], ['cuddly', 'a:soft'], ['spherical', 'a:round'], ['kept as a pet', 'a:pet'],
    ['a farm animal', 'a:farm_animal', 'a cow or a sheep'], ['a piece of jewelry', 'c:Jewelry'], ['used in sports', 'c:Sports'], ['a place you can visit', 'a:is_place'],
    ['a gardening tool', 'c:Garden Supplies&!a:worn', 'a rake or a shovel'], ['a kind of machine', 'a:machine'], ['able to be held in one hand', 'a:fits_in_hand'],
    ['used daily', 'a:used_daily'], ['a living being', 'a:alive'],
  ]),
  thatPred: pool([
    ['flies', 'a:flies'], ['has tires', 'a:has_wheels'], ['produces sound', 'a:makes_sound'], ['people eat', 'a:edible'], ['you put on your body', 'a:worn'],
    ['you sleep on', 'a:used_for_sleeping'], ['runs on electricity', 'a:electronic'], ['has a display', 'a:has_screen'], ['helps you prepare food', 'a:prepares_food'],
    ['has a blade', 'a:cuts_things'], ['is usually kept indoors', '!a:outdoors'], ['lives in the wild', 'a:wild'], ['has four legs', 'a:has_legs&!g:Doll'],
    ['you can drink from', 'a:used_for_drinking'], ['has keys', 'a:has_keyboard'], ['has buttons on it', 'a:has_buttons'], ['contains moving parts', 'a:has_moving_parts'],
    ['fits in your hand', 'a:fits_in_hand'], ['most people use daily', 'a:used_daily'], ['requires electricity to work', 'a:electronic'], ['is designed for kids', 'c:Toys'],
    ['serves a particular function', 'a:man_made'],
  ]),
};

/** Held out: other hedging frames, filled from the held-out predicate pools only. */
export const hedges: Source = {
  name: 'held-out/hedges',
  group: 'hedges',
  note: 'clem-ts frames kept out of tuning, filled from the held-out predicate pools',
  templates: [
    { id: 'have-in-mind', text: 'Is the object you have in mind {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 19 },
    { id: 'describe-as', text: 'Would you describe it as {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 16 },
    { id: 'secret-word', text: 'Is the secret word {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'this-object', text: 'Is this object {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'my-next', text: 'Alright, my next question is: is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'given-man-made', text: "Given that it's man-made, is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: 'a:man_made', n: 16 },
    { id: 'said-not-alive', text: "You said it isn't alive. Is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: '!a:alive', n: 16 },
    { id: 'interesting', text: 'Interesting! Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'usually', text: 'Is it usually {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'such-as', text: 'Is the thing {p.t} (such as {p.eg})?', meaning: '{p}', slots: { p: 'isPredEg' }, n: 13 },
    { id: 'category-tail', text: "Is it {p.t}? I'm trying to narrow down the category.", meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'vehicle-if-not', text: 'Is it a vehicle? If not, is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, given: '!c:Vehicles', n: 13 },
    { id: 'not-food', text: "Hmm, so it's not food. Is it {p.t}?", meaning: '{p}', slots: { p: 'isPred' }, given: '!a:edible', n: 13 },
    { id: 'question-7', text: 'Question 7: Is it {p.t}?', meaning: '{p}', slots: { p: 'isPred' }, n: 13 },
    { id: 'kind-of-thing', text: 'Is it the kind of thing that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 16 },
    { id: 'thing-thinking', text: "Is the thing you're thinking of something that {q.t}?", meaning: '{q}', slots: { q: 'thatPred' }, n: 16 },
    { id: 'would-be-that', text: 'Would it be something that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 13 },
    { id: 'some-object-that', text: 'Is it some kind of object that {q.t}?', meaning: '{q}', slots: { q: 'thatPred' }, n: 13 },
  ],
};
