import { list, type Source } from '../types.js';

/** Held out: the new attributes in wordings kept out of tuning. */
export const newAttributes: Source = {
  name: 'held-out/new-attributes',
  group: 'new_attributes',
  note: 'hand-written for clem-ts: the new attributes in wordings kept out of tuning',
  templates: list('hna', [
    ['Is the item animate?', 'a:alive'], ['Is it an animate thing?', 'a:alive'], ['Is it a living creature or organism?', 'a:alive'], ['Is it inanimate?', '!a:alive'],
    ['Could you hold it in one hand?', 'a:fits_in_hand'], ['Is it a handheld object?', 'a:fits_in_hand'], ['Would it fit in your hand?', 'a:fits_in_hand'],
    ['Can it be held in your hand?', 'a:fits_in_hand'], ['Is it a kind of mineral?', 'a:mineral'], ['Is it a rock or mineral?', 'g:Rock|a:mineral'],
    ['Is it a machine of some sort?', 'a:machine'], ['Would you call it a machine?', 'a:machine'], ['Does it have buttons on it?', 'a:has_buttons'],
    ['Does it have any controls?', 'a:has_controls'], ['Does it have parts that move?', 'a:has_moving_parts'], ['Does it contain any moving parts?', 'a:has_moving_parts'],
    ['Does it have a particular purpose?', 'a:man_made'], ['Does it serve a particular function?', 'a:man_made'], ['Is it a shrub or bush?', 'a:shrub|g:Bush'],
    ['Is it made for kids?', 'c:Toys'], ['Is it meant for children?', 'c:Toys'], ['Is it usually found outdoors?', 'a:outdoors'], ["Is it something you'd see outside?", 'a:outdoors'],
    ['Does it need electricity or batteries to work?', 'a:electronic|a:uses_batteries'], ['Does it run on electricity?', 'a:electronic'], ['Does it use a battery?', 'a:uses_batteries'],
    ['Is it rechargeable?', 'a:rechargeable'], ['Does it make noise when used?', 'a:makes_sound'], ['Does it emit a sound?', 'a:makes_sound'], ['Do people use it daily?', 'a:used_daily'],
    ['Would most people use it every day?', 'a:used_daily'], ['Has it got a tail?', 'a:has_tail'], ['Does it have two eyes?', 'a:has_eyes'], ['Is it some sort of tool?', 'a:tool'],
    ['Does it need to be powered?', 'a:electronic|a:has_engine'], ['Is it something found in a typical household?', 'a:found_in_home'], ['Is it a typical household item?', 'a:found_in_home'],
    ['Does it grow over time?', 'a:alive'], ['Does it hatch from an egg?', 'never'], ['Is it an amphibian?', 'never'], ['Is it a handheld electronic device?', 'a:fits_in_hand&a:electronic'],
    ['Is it a machine that has an engine?', 'a:machine&a:has_engine'], ['Does it have buttons or controls?', 'a:has_buttons|a:has_controls'], ['Does it use gas or electricity?', 'a:has_engine|a:electronic'],
    ['Is it a kind of tool that has a handle?', 'a:tool&a:has_handle'], ['Is it used each day?', 'a:used_daily'], ['Would you typically find it outdoors?', 'a:outdoors'],
    ['Can you carry it in one hand?', 'a:fits_in_hand'], ['Does it have a battery inside?', 'a:uses_batteries'], ['Is it a mechanical machine?', 'a:machine'],
    ['Is it a small handheld tool?', 'a:tool&a:fits_in_hand'], ['Is it an electrical appliance?', 'a:electronic&a:kitchen_appliance'],
  ]),
};
