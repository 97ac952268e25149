//! Exact money: the one rounding policy (cash to the cent, half away from zero),
//! exact parsing (never rounding silently) and plain-notation formatting.
