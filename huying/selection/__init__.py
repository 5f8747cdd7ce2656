"""Fair selection of people (panels, lotteries, replacements): plain Python, no Django."""
