"""A command group that runs a default sub-command when the first argument is
not one of its sub-commands (the click-default-group pattern), so that
``newsclean names FILES`` processes records like every stage while
``newsclean names table`` and ``newsclean names match`` are sub-commands."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup


class DefaultGroup(TyperGroup):
    default_command = "run"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is None or (first not in self.commands and first not in ctx.help_option_names):
            args = [self.default_command, *args]
        result: Any = super().parse_args(ctx, args)
        return list(result)
