"""A lock-free cached property.

functools.cached_property takes a lock on every first access in Python 3.11, which costs
more than most of the facts it caches; scoring computes a dozen per tool, 100,000 tools at a
time. This descriptor stores the value in the instance dict, after which plain attribute
lookup finds it. Objects using it are never shared between threads while being built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class lazy(Generic[T]):  # noqa: N801 - used like a decorator, as cached_property is
    def __init__(self, func: Callable[[Any], T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.name] = self.func(obj)
        return value
