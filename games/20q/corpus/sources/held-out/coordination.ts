import { list, type Source } from '../types.js';

/** Held out: coordinated questions in other constructions (never looked at item by item while tuning). */
export const coordination: Source = {
  name: 'held-out/coordination',
  group: 'coordination',
  note: 'clem-ts templates over the knowledge-base vocabulary, in constructions kept out of tuning',
  templates: [
    { id: 'mat-either', text: 'Is it made from either {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'material', y: 'material' }, n: 19 },
    { id: 'kind-maybe', text: 'Would it be {x.t} or maybe {y.t}?', meaning: '{x}|{y}', slots: { x: 'kind', y: 'kind' }, n: 19 },
    { id: 'some-kind', text: 'Is it some kind of {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'kindBare', y: 'kindBare' }, n: 16 },
    { id: 'room-might', text: 'Might it be found in a {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'room', y: 'room' }, n: 13 },
    { id: 'adj-both', text: 'Is it both {x.t} and {y.t}?', meaning: '{x}&{y}', slots: { x: 'adj', y: 'adj' }, n: 22 },
    { id: 'part-either', text: 'Does it have either {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'part', y: 'part' }, n: 16 },
    { id: 'that-adj-and', text: 'Is it something that is {x.t} and {y.t}?', meaning: '{x}&{y}', slots: { x: 'adj', y: 'adj' }, n: 19 },
    { id: 'use-primarily', text: 'Is it primarily used for {x.t} or for {y.t}?', meaning: '{x}|{y}', slots: { x: 'use', y: 'use' }, n: 16 },
    { id: 'colour-typically', text: 'Is it typically {x.t} or {y.t} in color?', meaning: '{x}|{y}', slots: { x: 'colour', y: 'colour' }, n: 8 },
    { id: 'adj-comma-noun', text: 'Is it {x.a}{x.t}, {y.t} {z.t}?', meaning: '{x}&{y}&{z}', slots: { x: 'attrAdj', y: 'attrAdj', z: 'noun' }, n: 16 },
    { id: 'classified', text: 'Is it classified as {x.t} or {y.t}?', meaning: '{x}|{y}', slots: { x: 'kind', y: 'kind' }, n: 13 },
    { id: 'can-you', text: 'Can you {x.t} it or {y.t} it?', meaning: '{x}|{y}', slots: { x: 'doWith', y: 'doWith' }, n: 13 },
    { id: 'but-not', text: 'Is it {x.t} but not {y.t}?', meaning: '{x}&!{y}', slots: { x: 'adj', y: 'adj' }, n: 16 },
    { id: 'neither-adj', text: 'Is it neither {x.t} nor {y.t}?', meaning: '!({x}|{y})', slots: { x: 'adj', y: 'adj' }, n: 10 },
    { id: 'body-you', text: 'Do you wear it on your {x.t} or your {y.t}?', meaning: '{x}|{y}', slots: { x: 'body', y: 'body' }, n: 10 },
    { id: 'or-kind3', text: 'Could it be {x.t}, {y.t} or {z.t}?', meaning: '{x}|{y}|{z}', slots: { x: 'kind', y: 'kind', z: 'kind' }, n: 13 },
    ...list('hco', [
      ['Is it a plant or an animal of some kind?', 'a:plant|a:animal'], ['Is it something you wear or carry?', 'refuse'], ['Is it a living thing or a non-living thing?', 'refuse'],
      ['Is it heavy and hard to move?', 'a:heavy'], ['Is it small and round?', '!a:bigger_than_breadbox&a:round'], ['Is it a fruit or a vegetable of some sort?', 'c:Fruits|c:Vegetables'],
      ['Is it made of plastic or rubber?', 'a:made_of_plastic|a:made_of_rubber'], ['Is it a vehicle that has wheels and an engine?', 'c:Vehicles&a:has_wheels&a:has_engine'],
      ['Is it edible and sweet?', 't:Apple=y;Banana=y;Potato=n;Pen=n'], ['Is it a domestic or farm animal?', 'a:domesticated|a:farm_animal'],
      ['Is it a cat, a dog, or a rabbit?', 'g:Cat|g:Dog|g:Rabbit'], ['Is it man-made or does it occur in nature?', 'refuse'], ['Is it an indoor or an outdoor object?', 'refuse'],
      ['Is it electronic and portable?', 'a:electronic&!a:heavy'], ['Is it a tool or a piece of equipment?', 'refuse'], ['Is it used for sports or games?', 'c:Sports|c:Toys'],
      ['Is it kept in the kitchen or the dining room?', 't:Spoon=y;Table=y;Car=n;Tree=n'], ['Does it have a handle and a blade?', 'a:has_handle&a:cuts_things'],
      ['Is it worn on your feet or your hands?', 'a:worn_on_feet|a:worn_on_hands'], ['Is it an animal with stripes or spots?', 't:Tiger=y;Cow=y;Lion=n;Pen=n'],
    ]),
  ],
};
