import { list, type Source } from '../types.js';

/**
 * Two or more things joined by "or"/"and": a person answers "or" as either-is-true and "and" as
 * both-are-true. Alternatives that cover every word ("man-made or natural") ask "which one?", so they
 * are expected to be refused (build.ts marks them).
 */
export const coordination: Source = {
  name: 'tuned/coordination',
  group: 'coordination',
  note: 'clem-ts templates over the knowledge-base vocabulary, in the coordinated wordings of chat models',
  templates: [
    { id: 'mat-or', text: 'Is it made of {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'material', y: 'material' }, n: 28 },
    { id: 'kind-or', text: 'Is it {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'kind', y: 'kind' }, n: 34 },
    { id: 'type-or', text: 'Is it a type of {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'kindBare', y: 'kindBare' }, n: 16 },
    { id: 'kind-or3', text: 'Is it {x.t}, {y.t}, or {z.t}?', meaning: '{x}|{y}|{z}', slots: { x: 'kind', y: 'kind', z: 'kind' }, n: 14 },
    { id: 'room-or', text: 'Is it found in the {x.t} or the {y.t}?', meaning: '{x}|{y}', slots: { x: 'room', y: 'room' }, n: 16 },
    { id: 'body-or', text: 'Is it worn on the {x.t} or the {y.t}?', meaning: '{x}|{y}', slots: { x: 'body', y: 'body' }, n: 12 },
    { id: 'colour-or', text: 'Is it {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'colour', y: 'colour' }, n: 7 },
    { id: 'adj-and', text: 'Is it {x.t} and {y.t}?', meaning: '{x}&{y}', slots: { x: 'adj', y: 'adj' }, n: 34 },
    { id: 'adj-or', text: 'Is it {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'adj', y: 'adj' }, n: 16 },
    { id: 'part-or', text: 'Does it have {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'part', y: 'part' }, n: 21 },
    { id: 'part-and', text: 'Does it have {x.t} and {y.t}?', meaning: '{x}&{y}', slots: { x: 'part', y: 'part' }, n: 14 },
    { id: 'use-or', text: 'Is it used for {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'use', y: 'use' }, n: 21 },
    { id: 'use-and', text: 'Is it used for {x.t} and {y.t}?', meaning: '{x}&{y}', slots: { x: 'use', y: 'use' }, n: 9 },
    { id: 'can-or', text: 'Can it {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'ability', y: 'ability' }, n: 14 },
    { id: 'adj2-noun', text: 'Is it {x.a}{x.t} and {y.t} {z.t}?', meaning: '{x}&{y}&{z}', slots: { x: 'attrAdj', y: 'attrAdj', z: 'noun' }, n: 16 },
    { id: 'noun-adj-or', text: 'Is it {z.a}{z.t} that is {x.t} or {y.t}?', meaning: '{z}&({x}|{y})', slots: { x: 'adj', y: 'adj', z: 'noun' }, n: 12 },
    { id: 'kind-and-part', text: 'Is it {x.t} and does it have {y.t}?', meaning: '{x}&{y}', slots: { x: 'kind', y: 'part' }, n: 12 },
    { id: 'or-not', text: 'Is it {x.t} or not?', meaning: '{x}', slots: { x: 'adj' }, n: 9 },
    { id: 'either-or', text: 'Is it either {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'kind', y: 'kind' }, n: 12 },
    { id: 'neither-nor', text: 'Is it neither {x.t} nor {y.t}?', meaning: '!({x}|{y})', slots: { x: 'kind', y: 'kind' }, n: 7 },
    { id: 'mat-adj-or', text: 'Is it {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'materialAdj', y: 'materialAdj' }, n: 7 },
    ...list('co', [
      ['Is it an animal or a plant?', 'a:animal|a:plant'], ['Is it a plant or an animal?', 'a:plant|a:animal'], ['Is it a fruit or a vegetable?', 'c:Fruits|c:Vegetables'],
      ['Is it a tool or a machine?', 'a:tool|a:machine'], ['Is it small and light?', '!a:bigger_than_breadbox&!a:heavy'], ['Is it big and heavy?', 'a:bigger_than_breadbox&a:heavy'],
      ['Is it made of wood or metal?', 'a:made_of_wood|a:made_of_metal'], ['Is it man-made or natural?', 'refuse'], ['Is it natural or man-made?', 'refuse'],
      ['Is it a living thing or an object?', 'refuse'], ['Is it bigger or smaller than a breadbox?', 'refuse'], ['Is it found indoors or outdoors?', 'refuse'],
      ['Is it an animal, vegetable, or mineral?', 'refuse'], ['Is it alive or not?', 'a:alive'], ['Is it a tool or accessory that you use daily?', '(a:tool|a:accessory)&a:used_daily'],
      ['Is it a fruit or vegetable that grows on trees?', '(c:Fruits|c:Vegetables)&a:grows_on_trees'], ['Is it a red or yellow fruit?', 'c:Fruits&(a:red|a:yellow)'],
      ['Is it a fruit that is red and round?', 'c:Fruits&a:red&a:round'], ['Is it an animal and does it live on a farm?', 'a:animal&a:farm_animal'],
      ['Is it electronic and does it have a screen?', 'a:electronic&a:has_screen'], ['Is it something you eat or drink?', 'a:edible'], ['Is it a kitchen tool or utensil?', 'c:Kitchen Tools'],
      ['Is it used for arts and crafts?', 'c:Art'], ['Is it a cat or a dog?', 'g:Cat|g:Dog'], ['Is it soft and cuddly?', 'a:soft'], ['Is it long and thin?', 'a:long_and_thin'],
      ['Is it hot or cold?', 'refuse'], ['Is it used for work or for fun?', 'refuse'], ['Is it a toy or a game?', 'c:Toys'], ['Is it a vehicle or a machine?', 'c:Vehicles|a:machine'],
      ['Is it a piece of furniture or a household appliance?', 'c:Furniture|a:kitchen_appliance'], ['Does it have four legs and a tail?', 'a:has_legs&a:has_tail'],
      ['Is it used for both eating and cooking?', 'a:used_for_eating&a:prepares_food'], ['Is it worn on the head or around the neck?', 'a:worn_on_head|a:worn_around_neck'],
      ['Does it run on electricity or gas?', 'a:electronic|a:has_engine'], ['Is it an electronic device or a machine?', 'a:electronic|a:machine'],
      ['Is it found in the kitchen and used for cooking?', 'a:found_in_kitchen&a:prepares_food'], ['Is it sweet or sour?', 'refuse'],
      ['Is it a musical instrument or a toy?', 'c:Musical Instruments|c:Toys'], ['Is it a wild or a domesticated animal?', 'refuse'],
    ]),
  ],
};
