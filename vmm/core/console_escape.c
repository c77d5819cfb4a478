// SPDX-License-Identifier: GPL-2.0-only
/* The console escape sequence, apart from the console thread so unit tests can reach it. */
#include "console.h"

size_t console_escape_filter(struct console_escape *e, const uint8_t *in, size_t len, uint8_t *out,
			     bool *quit)
{
	size_t n = 0;

	*quit = false;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (!e->armed && c == CONSOLE_ESCAPE_CHAR) {
			e->armed = true;
			continue;
		}
		if (e->armed) {
			e->armed = false;
			if (c == CONSOLE_QUIT_CHAR) {
				*quit = true;
				return n;
			}
			/* Not a command: the escape character was meant for the guest. */
			out[n++] = CONSOLE_ESCAPE_CHAR;
			if (c == CONSOLE_ESCAPE_CHAR)
				continue;
		}
		out[n++] = c;
	}
	return n;
}
