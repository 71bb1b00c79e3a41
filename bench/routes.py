"""Daily routes: pyvroom on 30 stops around Talgar against a nearest-neighbour order, with and without
time windows. Nearest neighbour ignores windows, so with windows it is shorter but late; without
windows the two are compared on length alone.

Target (DESIGN: "visit routes with time windows in well under a second"): median solve < 1 s with
time windows, on this 2-core machine shared with other work.
"""

import dataclasses
import random
import statistics
import time

from socmon.visits.routing import Stop, nearest_neighbour, route_length_m, solve_route, travel_seconds

OFFICE = (43.303, 77.240)  # Talgar
DAY = (8 * 3600, 20 * 3600)
STOPS = 30
RUNS = 7
TARGET_S = 1.0


def make_stops(seed: int = 4) -> list[Stop]:
    """30 homes within ~8 km of the office, 10–15 minutes each (short check-ups, so that all fit and
    the orders are compared on the same stops); every third must be seen within a 2-hour window."""
    rng = random.Random(seed)
    stops = []
    for key in range(1, STOPS + 1):
        point = (OFFICE[0] + rng.uniform(-0.07, 0.07), OFFICE[1] + rng.uniform(-0.09, 0.09))
        window = None
        if key % 3 == 0:
            start = rng.choice([9, 11, 13, 15, 17]) * 3600
            window = (start, start + 2 * 3600)
        stops.append(Stop(key, point, rng.choice([10, 15]) * 60, window))
    return stops


def replay(order: list[Stop]) -> tuple[int, int]:
    """Follow an order from the start of the day: stops reached after their window closed; return time."""
    clock, here, late = DAY[0], OFFICE, 0
    for stop in order:
        clock += travel_seconds(here, stop.point)
        if stop.window:
            clock = max(clock, stop.window[0])
            late += clock > stop.window[1]
        clock += stop.service_s
        here = stop.point
    return late, clock + travel_seconds(here, OFFICE)


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def scenario(name: str, stops: list[Stop]) -> float:
    times, solution = [], None
    for _run in range(RUNS):
        started = time.perf_counter()
        solution = solve_route(depot=OFFICE, stops=stops, start_s=DAY[0], end_s=DAY[1])
        times.append(time.perf_counter() - started)
    by_key = {s.key: s for s in stops}
    rows = [("pyvroom", [by_key[k] for k in solution.order], statistics.median(times)),
            ("nearest neighbour", nearest_neighbour(OFFICE, stops), None)]
    print(f"\n{name}: {len(stops)} stops, {sum(1 for s in stops if s.window)} with a 2-hour window, "
          f"day 08:00–20:00")
    print(f"  {'order':<19}{'stops':>6}{'km':>8}{'late':>6}{'back at':>9}  {'solve, median of ' + str(RUNS)}")
    for label, order, median in rows:
        late, back = replay(order)
        km = route_length_m(OFFICE, [s.point for s in order]) / 1000
        solve = f"{median * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})" if median else "–"
        print(f"  {label:<19}{len(order):>6}{km:>8.1f}{late:>6}{clock(back):>9}  {solve}")
    return statistics.median(times)


def across_seeds(seeds: range) -> None:
    """Length of pyvroom's route over nearest neighbour's, without windows, on several random days."""
    ratios = []
    for seed in seeds:
        stops = [dataclasses.replace(s, window=None) for s in make_stops(seed)]
        solution = solve_route(depot=OFFICE, stops=stops, start_s=DAY[0], end_s=DAY[1])
        by_key = {s.key: s for s in stops}
        vroom_m = route_length_m(OFFICE, [by_key[k].point for k in solution.order])
        ratios.append(vroom_m / route_length_m(OFFICE, [s.point for s in nearest_neighbour(OFFICE, stops)]))
    print(f"\nWithout windows over {len(ratios)} random days: pyvroom / nearest neighbour length = "
          f"median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f}); "
          f"shorter on {sum(r < 1 for r in ratios)} of {len(ratios)}")


def main() -> int:
    stops = make_stops()
    started = time.perf_counter()
    solve_route(depot=OFFICE, stops=stops[:3], start_s=DAY[0], end_s=DAY[1])
    print(f"First solve in a fresh process (loads pyvroom and pandas): {(time.perf_counter() - started) * 1000:.0f} ms")
    median = scenario("With time windows", stops)
    scenario("Without time windows", [dataclasses.replace(s, window=None) for s in stops])
    across_seeds(range(10))
    verdict = "met" if median <= TARGET_S else "MISSED"
    print(f"\nTarget: median solve with windows < {TARGET_S * 1000:.0f} ms: {verdict}")
    return 0 if median <= TARGET_S else 1
