"""Text knowledge that belongs to no stage: dates and months, decoding bytes to
text, folding words, the shape of a person's name; the lists it reads are data."""
