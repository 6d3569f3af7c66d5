"""Text knowledge that belongs to no stage: dates and months, decoding bytes to text."""
