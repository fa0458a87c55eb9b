"""Run the notifier: ``python -m bonemet_notifier`` (``bonemet serve notifier`` does the same)."""

from __future__ import annotations

import asyncio

from bonemet_notifier.bootstrap import build
from bonemet_shared.logging import configure_logging, get_logger
from bonemet_shared.settings import get_settings


async def run() -> None:
    settings = get_settings()
    configure_logging("notifier", settings.hash_key(), settings.log_level)
    app = await build(settings)
    get_logger().info("consuming")
    await app.run()


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
