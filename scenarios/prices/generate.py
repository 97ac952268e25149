#!/usr/bin/env python3
"""Synthetic daily price paths for the shipped `dilution` scenarios.

Writes four CSVs next to this file (columns date,open,high,low,close,vwap,volume,bid):

    ascent-decline.csv   steady sub-penny decline towards ~$0.0001, then bumping along
    flat.csv             exactly flat prices, exactly constant volume (no randomness)
    crash-recovery.csv   ~80% crash over four weeks in early 2018, recovery through 2019
    volume-drought.csv   the decline path's prices, volume cut 75% from 2017-12-15 to 2018-06-29

Usage:
    python3 generate.py           regenerate the CSVs, run the self-checks, print the tables
    python3 generate.py --check   regenerate in memory and verify the files on disk are
                                  byte-identical (nothing is written)

Standard library only. Reproducible byte for byte on any platform: the random numbers come
from random.Random(seed).getrandbits (integer Mersenne Twister output, identical everywhere),
normal shocks are approximated by the Irwin-Hall sum of 12 uniforms (pure arithmetic), and all
arithmetic, exp() and ln() included, is done in `decimal` (both correctly rounded by the
decimal module), so no platform libm touches a number.

Model (all paths but `flat`): log close = target(t) + e(t) - e(anchor), where target(t) is a
piecewise-linear (in trading days) log-price trajectory, e(t) an AR(1) (discrete
Ornstein-Uhlenbeck) deviation e(t) = PHI*e(t-1) + SIGMA*z(t), and anchor = 2017-11-30, so the
close on 2017-11-30 is exactly the anchor close. Intraday fields and volume are derived from the
close; see the README next to this file for the details and the parameter values.
"""

import datetime
import os
import random
import sys
from decimal import Decimal, getcontext, ROUND_HALF_EVEN

getcontext().prec = 34
getcontext().rounding = ROUND_HALF_EVEN

D = Decimal
HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "date,open,high,low,close,vwap,volume,bid"

# ---------------------------------------------------------------------------------------------
# Calendar: NYSE trading days 2017-09-01 .. 2020-12-31 (weekdays less NYSE full-day holidays).
# From 2017-10-18 on this is the calendar of shared/examples/8k-example/prices.csv (807 rows);
# the days before were added by hand (the one holiday there is Labor Day, 2017-09-04; Columbus
# Day is not an NYSE holiday). 2018-12-05 is the market closure for President Bush's funeral.
# Half days (e.g. 2017-11-24) are trading days.
# ---------------------------------------------------------------------------------------------
FIRST_DAY = datetime.date(2017, 9, 1)
LAST_DAY = datetime.date(2020, 12, 31)
NYSE_HOLIDAYS = {
    "2017-09-04", "2017-11-23", "2017-12-25",
    "2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04",
    "2018-09-03", "2018-11-22", "2018-12-05", "2018-12-25",
    "2019-01-01", "2019-01-21", "2019-02-18", "2019-04-19", "2019-05-27", "2019-07-04",
    "2019-09-02", "2019-11-28", "2019-12-25",
    "2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25", "2020-07-03",
    "2020-09-07", "2020-11-26", "2020-12-25",
}
ANCHOR = "2017-11-30"           # scenario start; the close here is pinned
ANCHOR_CLOSE = D("0.001420")    # closing bid then ~0.0014 (see README)
TRANCHE_DATES = ["2017-12-29", "2018-01-30", "2018-02-28", "2018-03-29",
                 "2018-04-30", "2018-05-30", "2018-06-29"]
THRESHOLD = D("50000")          # 8-K: average daily dollar volume >= $50,000
LOOKBACK = 20                   # over the 20 trading days strictly before the tranche date
PASS_MARGIN = D("55000")        # a pass must clear the threshold by 10% (robust, not borderline)
FAIL_MARGIN = D("40000")        # a fail must miss it by 20%
PRICE_MIN = D("0.00001")


def trading_days():
    days, d = [], FIRST_DAY
    while d <= LAST_DAY:
        if d.weekday() < 5 and d.isoformat() not in NYSE_HOLIDAYS:
            days.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return days


DAYS = trading_days()
IDX = {d: i for i, d in enumerate(DAYS)}

# ---------------------------------------------------------------------------------------------
# Deterministic random numbers
# ---------------------------------------------------------------------------------------------
TWO_32 = D(2) ** 32


class Rng:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def uniform(self):
        """Uniform on [0, 1) with 32-bit resolution, as an exact Decimal."""
        return D(self.r.getrandbits(32)) / TWO_32

    def normal(self):
        """Approximately standard normal (Irwin-Hall: sum of 12 uniforms - 6; |z| <= 6)."""
        return sum((self.uniform() for _ in range(12)), D(0)) - 6


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------
def sig4(x):
    """Round a positive Decimal to 4 significant digits (half-even), keeping trailing zeros."""
    assert x > 0, x
    y = x.quantize(D(1).scaleb(x.adjusted() - 3))
    if y.adjusted() != x.adjusted():      # 0.00099996 -> 0.0010000: one digit too many
        y = y.quantize(D(1).scaleb(y.adjusted() - 3))
    return y


def fmt(x):
    s = format(x, "f")
    assert "E" not in s and "e" not in s, s
    return s


def one_unit_below(x):
    """The 4-significant-digit value just below x (x already has 4 significant digits)."""
    unit = D(1).scaleb(x.adjusted() - 3)
    y = x - unit
    return sig4(y)


# ---------------------------------------------------------------------------------------------
# Target trajectories: piecewise linear in the trading-day index, in log price.
# ---------------------------------------------------------------------------------------------
def piecewise_log_target(knots):
    """knots: list of (date, price). Flat before the first and after the last knot."""
    pts = [(IDX[d], D(p).ln()) for d, p in knots]

    def f(i):
        if i <= pts[0][0]:
            return pts[0][1]
        for (i0, y0), (i1, y1) in zip(pts, pts[1:]):
            if i <= i1:
                return y0 + (y1 - y0) * D(i - i0) / D(i1 - i0)
        return pts[-1][1]
    return f


def in_window(d, a, b):
    return a <= d <= b


# ---------------------------------------------------------------------------------------------
# Path parameters
# ---------------------------------------------------------------------------------------------
PHI = D("0.96")            # AR(1) persistence of the log deviation (half-life ~17 days)
SIGMA = D("0.045")         # daily shock to the log deviation
GAP_SIGMA = D("0.015")     # open = previous close * exp(GAP_SIGMA * z)
RANGE_SIGMA = D("0.025")   # high/low extend beyond max/min(open, close) by exp(RANGE_SIGMA*|z|)
SPREAD_MIN = D("0.005")    # bid = close * (1 - s), s uniform in [0.5%, 3.0%]
SPREAD_WIDTH = D("0.025")
DOLLAR_VOL_0 = D("100000")  # typical daily dollar volume at the anchor price
BETA = D("0.9")            # volume elasticity: shares traded ~ price^-BETA
VOL_SIGMA = D("0.35")      # lognormal day-to-day volume noise

DECLINE_TARGET = piecewise_log_target([
    (ANCHOR, ANCHOR_CLOSE),          # flat before the anchor (history for the look-backs)
    ("2019-12-31", D("0.0001")),     # log-linear decline over 2018-2019 ...
])                                   # ... then flat at 0.0001 ("bumping along") through 2020

CRASH_TARGET = piecewise_log_target([
    ("2018-01-19", ANCHOR_CLOSE),            # flat until mid-January 2018
    ("2018-02-16", ANCHOR_CLOSE * D("0.2")),  # -80% over four weeks (20 trading days)
    ("2018-12-31", ANCHOR_CLOSE * D("0.2")),  # bottom through 2018
    ("2019-12-31", ANCHOR_CLOSE),            # log-linear recovery over 2019, then flat
])

SEEDS = {"ascent-decline": 20171130, "crash-recovery": 20180216}


def no_multiplier(d):
    return D(1)


def crash_volume_multiplier(d):
    return D(2) if in_window(d, "2018-01-22", "2018-02-16") else D(1)


def drought_multiplier(d):
    return D("0.25") if in_window(d, "2017-12-15", "2018-06-29") else D(1)


def simulate(seed, target, volume_multiplier):
    rng = Rng(seed)
    n = len(DAYS)
    # 1. log deviations and closes
    e, dev = D(0), []
    for i in range(n):
        e = PHI * e + SIGMA * rng.normal()
        dev.append(e)
    a = IDX[ANCHOR]
    closes = [(target(i) + dev[i] - dev[a]).exp() for i in range(n)]
    # 2. intraday fields and volume; one fixed sequence of draws per day
    rows, prev_close = [], closes[0]
    for i, d in enumerate(DAYS):
        z_gap, z_hi, z_lo = rng.normal(), rng.normal(), rng.normal()
        w = (rng.uniform() + rng.uniform() + rng.uniform()) / 3
        s = SPREAD_MIN + SPREAD_WIDTH * rng.uniform()
        z_vol = rng.normal()
        c = closes[i]
        o = prev_close * (GAP_SIGMA * z_gap).exp()
        h = max(o, c) * (RANGE_SIGMA * abs(z_hi)).exp()
        lo = min(o, c) * (-RANGE_SIGMA * abs(z_lo)).exp()
        c4, o4, h4, l4 = sig4(c), sig4(o), sig4(h), sig4(lo)
        v4 = sig4(lo + (h - lo) * w)            # monotone rounding keeps l4 <= v4 <= h4
        b4 = sig4(c * (1 - s))
        if b4 >= c4:
            b4 = one_unit_below(c4)
        dollar = (DOLLAR_VOL_0 * ((c / ANCHOR_CLOSE).ln() * (1 - BETA)).exp()
                  * (VOL_SIGMA * z_vol - VOL_SIGMA * VOL_SIGMA / 2).exp()
                  * volume_multiplier(d))
        vol = int((dollar / v4).to_integral_value())
        rows.append((d, o4, h4, l4, c4, v4, vol, b4))
        prev_close = c
    return rows


def flat_rows():
    """Exactly flat: every price field 0.001420 but the bid 0.001400; volume 70,000,000."""
    p, b = D("0.001420"), D("0.001400")
    return [(d, p, p, p, p, p, 70_000_000, b) for d in DAYS]


def render(rows):
    out = [HEADER]
    for d, o, h, lo, c, v, vol, b in rows:
        out.append(",".join([d, fmt(o), fmt(h), fmt(lo), fmt(c), fmt(v), str(vol), fmt(b)]))
    return "\n".join(out) + "\n"


def build_all():
    decline = simulate(SEEDS["ascent-decline"], DECLINE_TARGET, no_multiplier)
    drought = simulate(SEEDS["ascent-decline"], DECLINE_TARGET, drought_multiplier)
    return {
        "ascent-decline": render(decline),
        "flat": render(flat_rows()),
        "crash-recovery": render(simulate(SEEDS["crash-recovery"], CRASH_TARGET,
                                          crash_volume_multiplier)),
        "volume-drought": render(drought),
    }


# ---------------------------------------------------------------------------------------------
# Self-checks, on the CSV text exactly as written
# ---------------------------------------------------------------------------------------------
def parse(text):
    lines = text.split("\n")
    assert lines[0] == HEADER, lines[0]
    assert lines[-1] == "", "file must end with one newline"
    rows = []
    for line in lines[1:-1]:
        f = line.split(",")
        assert len(f) == 8, line
        rows.append({"date": f[0], "open": D(f[1]), "high": D(f[2]), "low": D(f[3]),
                     "close": D(f[4]), "vwap": D(f[5]), "volume": int(f[6]), "bid": D(f[7]),
                     "raw": f})
    return rows


def adv_before(rows, date):
    """Average of volume*vwap over the LOOKBACK rows strictly before `date` (None if short)."""
    before = [r for r in rows if r["date"] < date]
    if len(before) < LOOKBACK:
        return None
    w = before[-LOOKBACK:]
    return sum((D(r["volume"]) * r["vwap"] for r in w), D(0)) / LOOKBACK


def mean(xs):
    xs = list(xs)
    return sum(xs, D(0)) / len(xs)


def closes_between(rows, a, b):
    return [r["close"] for r in rows if a <= r["date"] <= b]


def check_common(name, rows):
    dates = [r["date"] for r in rows]
    assert dates == DAYS, name + ": dates are not the trading-day calendar"
    assert all(x < y for x, y in zip(dates, dates[1:])), name
    assert "2018-01-15" not in dates and "2018-12-05" not in dates
    assert IDX[ANCHOR] >= 30, name + ": fewer than 30 trading days before 2017-11-30"
    assert dates[-1] == "2020-12-31"
    for r in rows:
        for k in ("open", "high", "low", "close", "vwap", "bid"):
            x, s = r[k], r["raw"][["date", "open", "high", "low", "close", "vwap", "volume",
                                   "bid"].index(k)]
            assert x >= PRICE_MIN, (name, r["date"], k, x)
            assert len(x.as_tuple().digits) == 4, (name, r["date"], k, s)
            assert "e" not in s.lower() and not s.startswith("-"), (name, r["date"], k, s)
        assert r["low"] <= min(r["open"], r["close"], r["vwap"]), (name, r["date"])
        assert r["high"] >= max(r["open"], r["close"], r["vwap"]), (name, r["date"])
        assert r["bid"] < r["close"] and r["bid"] >= r["close"] * D("0.95"), (name, r["date"])
        assert r["volume"] >= 1 and r["raw"][6].isdigit(), (name, r["date"])
    a = rows[IDX[ANCHOR]]
    assert D("0.00135") <= a["bid"] <= D("0.00145"), (name, "anchor bid", a["bid"])


def tranche_table(rows):
    return [(d, adv_before(rows, d)) for d in TRANCHE_DATES]


def check_tranches(name, rows, expect_pass):
    table = tranche_table(rows)
    for (d, adv), want in zip(table, expect_pass):
        assert adv is not None, (name, d)
        if want:
            assert adv >= PASS_MARGIN, (name, d, adv, "should pass comfortably")
        else:
            assert adv <= FAIL_MARGIN, (name, d, adv, "should fail clearly")
    return table


def min_adv(rows, first, last):
    """Smallest 20-day trailing average dollar volume over tranche-style windows whose test
    date lies in [first, last]."""
    vals = [adv_before(rows, r["date"]) for r in rows if first <= r["date"] <= last]
    return min(v for v in vals if v is not None)


def check_all(texts):
    rows = {k: parse(v) for k, v in texts.items()}
    for k, r in rows.items():
        check_common(k, r)
    out = {}
    all_pass = [True] * 7
    drought_expect = [True, False, False, False, False, False, False]
    for k in ("ascent-decline", "flat", "crash-recovery"):
        out[k] = check_tranches(k, rows[k], all_pass)
    out["volume-drought"] = check_tranches("volume-drought", rows["volume-drought"],
                                           drought_expect)
    # "normal times": the 20-day average stays above the threshold throughout the window
    for k in ("ascent-decline", "flat", "crash-recovery"):
        m = min_adv(rows[k], ANCHOR, "2020-12-31")
        assert m >= THRESHOLD, (k, "20-day ADV dipped below threshold", m)
    m = min_adv(rows["volume-drought"], "2018-08-01", "2020-12-31")
    assert m >= THRESHOLD, ("volume-drought after the drought", m)

    dec, dro = rows["ascent-decline"], rows["volume-drought"]
    # decline: steady sub-penny decline towards ~0.0001 over 2018-2019, then bumping along
    assert all(r["close"] < D("0.01") for r in dec)
    q = [mean(closes_between(dec, a, b)) for a, b in [
        ("2017-12-01", "2018-03-31"), ("2018-04-01", "2018-07-31"),
        ("2018-08-01", "2018-11-30"), ("2018-12-01", "2019-03-31"),
        ("2019-04-01", "2019-07-31"), ("2019-08-01", "2019-12-31")]]
    assert all(x > y for x, y in zip(q, q[1:])), ("decline not monotone by 4-month means", q)
    m2020 = mean(closes_between(dec, "2020-01-01", "2020-12-31"))
    assert D("0.00006") <= m2020 <= D("0.00016"), ("decline 2020 level", m2020)
    # volume rises as the price falls
    v17 = mean(D(r["volume"]) for r in dec if "2017-12-01" <= r["date"] <= "2017-12-31")
    v20 = mean(D(r["volume"]) for r in dec if r["date"] >= "2020-01-01")
    assert v20 > 4 * v17, ("volume should rise as the price falls", v17, v20)
    assert D(40_000_000) <= mean(D(r["volume"]) for r in dec
                                 if "2017-11-01" <= r["date"] <= "2017-12-14") <= D(150_000_000)
    # drought: the decline's prices exactly; only the volume differs, and only in the drought
    for r1, r2 in zip(dec, dro):
        assert r1["raw"][:6] == r2["raw"][:6] and r1["raw"][7] == r2["raw"][7]
        if not ("2017-12-15" <= r1["date"] <= "2018-06-29"):
            assert r1["volume"] == r2["volume"], r1["date"]
        else:
            assert r2["volume"] < r1["volume"], r1["date"]
    # crash-recovery: ~80% down over a few weeks in early 2018, back near the start by end-2019
    cr = rows["crash-recovery"]
    pre = mean(closes_between(cr, "2018-01-08", "2018-01-19"))
    trough = mean(closes_between(cr, "2018-02-12", "2018-03-09"))
    drop = 1 - trough / pre
    assert D("0.70") <= drop <= D("0.88"), ("crash size", drop)
    back = mean(closes_between(cr, "2019-12-02", "2020-01-31"))
    assert D("0.7") <= back / ANCHOR_CLOSE <= D("1.4"), ("recovery level", back)
    # flat
    fl = rows["flat"]
    assert all(r["raw"][1:] == fl[0]["raw"][1:] for r in fl)
    return rows, out


def summary(rows, tables):
    print("Tranche test: average daily dollar volume (volume x VWAP) over the 20 trading days")
    print("strictly before each tranche date; closes if >= $50,000.\n")
    names = ["ascent-decline", "flat", "crash-recovery", "volume-drought"]
    print("| tranche date | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for j, d in enumerate(TRANCHE_DATES):
        cells = []
        for k in names:
            adv = tables[k][j][1]
            cells.append("{:,.0f} {}".format(adv, "pass" if adv >= THRESHOLD else "FAIL"))
        print("| tranche-{} {} | ".format(j + 2, d) + " | ".join(cells) + " |")
    print()
    print("| path | first row | close 2017-11-30 | bid 2017-11-30 | last row | "
          "min close | min 20d ADV from 2017-11-30 |")
    print("|---|---|---|---|---|---|---|")
    for k in names:
        r = rows[k]
        a = r[IDX[ANCHOR]]
        print("| {} | {} close {} vol {:,} | {} | {} | {} close {} vol {:,} | {} | {:,.0f} |".format(
            k, r[0]["date"], r[0]["raw"][4], r[0]["volume"], a["raw"][4], a["raw"][7],
            r[-1]["date"], r[-1]["raw"][4], r[-1]["volume"],
            fmt(min(x["close"] for x in r)), min_adv(r, ANCHOR, "2020-12-31")))


def main(argv):
    check_only = "--check" in argv[1:]
    texts = build_all()
    again = build_all()
    assert texts == again, "generation is not deterministic"
    rows, tables = check_all(texts)
    if check_only:
        bad = []
        for k, t in texts.items():
            p = os.path.join(HERE, k + ".csv")
            with open(p, "rb") as fh:
                if fh.read() != t.encode("ascii"):
                    bad.append(p)
        if bad:
            print("DIFFERS from the generator: " + ", ".join(bad))
            return 1
        print("all four CSVs are byte-identical to the generator's output")
    else:
        for k, t in texts.items():
            with open(os.path.join(HERE, k + ".csv"), "wb") as fh:
                fh.write(t.encode("ascii"))
    summary(rows, tables)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
