"""A tiny bAbI-style task generator (no download): short stories of people moving between rooms,
one question about where someone is, written in the bAbI text format the bAbI scripts parse:

    1 Mary moved to the bathroom.
    2 John went to the hallway.
    3 Where is Mary? \tbathroom\t1
"""
import random

PEOPLE = ['Mary', 'John', 'Sandra', 'Daniel']
PLACES = ['bathroom', 'hallway', 'kitchen', 'garden', 'office', 'bedroom']
VERBS = ['moved to', 'went to', 'journeyed to', 'travelled to', 'went back to']


def babi_lines(n_stories, seed=0, story_length=(2, 6)):
    """`n_stories` stories, each ending with one question, as the lines of a bAbI task file."""
    rng = random.Random(seed)
    lines = []
    for _ in range(n_stories):
        where, where_line = {}, {}
        n = rng.randint(*story_length)
        for i in range(1, n + 1):
            person, place = rng.choice(PEOPLE), rng.choice(PLACES)
            where[person], where_line[person] = place, i
            lines.append('%d %s %s the %s.' % (i, person, rng.choice(VERBS), place))
        person = rng.choice(sorted(where))
        lines.append('%d Where is %s? \t%s\t%d' % (n + 1, person, where[person], where_line[person]))
    return lines
