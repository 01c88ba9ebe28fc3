async def run_scenarios(ctx, files, names):
    return []
