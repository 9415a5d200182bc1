;; The absence model's likelihood loop over groups of students, in WebAssembly with 128-bit
;; SIMD: two groups per step. It is most of every gradient (one logarithm and one division
;; per group), and here it runs about twice as fast as the same loop in JavaScript, which
;; has neither vector arithmetic nor a cheap way to read a double's exponent bits.
;;
;; Compiled to likelihood-groups-wasm.ts by `npm run build:wasm` (scripts/build-wasm.mjs);
;; likelihood-groups.ts lays out the memory and calls `sumGroups`. For each group g, with
;; mu = e[g] * cellRate[cell[g]] * zRate[z[g]]:
;;
;;     lp          -= (y[g] + w[g] phi) log(mu + phi)
;;     cellGrad[c] -= (y[g] + w[g] phi) mu / (mu + phi)
;;     gradGamma   -= that same term * zValues[z[g]]
;;     dPhi        -= w[g] log(mu + phi) + (y[g] + w[g] phi) / (mu + phi)
;;
;; The logarithm: v = 2^k m with m in [1, 2) read from v's bits; m = c_j (1 + u) with c_j
;; the centre of m's interval among 1024 (the table at address 0 holds log c_j and 1 / c_j
;; for each j, written by likelihood-groups.ts); log v = k log 2 + log c_j + log1p(u), and
;; |u| < 2^-11 makes log1p's series to u^4 exact to below 2^-57. The pair loop takes
;; every mu + phi to be a positive normal double, as it is wherever the posterior has
;; mass, and says when one was not; `sumGroupsOneByOne` then sums again with a logarithm
;; that hands zero, subnormals, infinities and NaN to the imported Math.log.
(module
  (import "Math" "log" (func $mathLog (param f64) (result f64)))
  (memory (export "memory") 1)

  (func $log (export "log") (param $x f64) (result f64)
    (local $bits i64) (local $j i32) (local $u f64) (local $u2 f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    ;; positive normal numbers are the bit patterns 0x0010000000000000 to 0x7fefffffffffffff
    (if (i64.ge_u (i64.sub (local.get $bits) (i64.const 0x0010000000000000)) (i64.const 0x7fe0000000000000))
      (then (return (call $mathLog (local.get $x)))))
    (local.set $j (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $bits) (i64.const 42)) (i64.const 1023))) (i32.const 4)))
    (local.set $u (f64.sub
      (f64.mul
        (f64.reinterpret_i64 (i64.or (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)) (i64.const 0x3ff0000000000000)))
        (f64.load offset=8 (local.get $j)))
      (f64.const 1)))
    (local.set $u2 (f64.mul (local.get $u) (local.get $u)))
    (f64.add
      (f64.add
        (f64.mul
          (f64.convert_i64_s (i64.sub (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 1023)))
          (f64.const 0x1.62e42fefa39efp-1))
        (f64.load (local.get $j)))
      ;; log1p(u) to u^4, grouped so that the multiplications overlap
      (f64.add (local.get $u)
        (f64.mul (local.get $u2)
          (f64.add (f64.const -0.5)
            (f64.sub
              (f64.mul (local.get $u) (f64.const 0x1.5555555555555p-2))
              (f64.mul (local.get $u2) (f64.const 0.25))))))))

    ;; Adds groups [from, to) one at a time to the sums at out (lp, dPhi, gradGamma), with
;; the logarithm that falls back to Math.log: the odd last group of `sumGroups`, and every
;; group in `sumGroupsOneByOne`.
(func $sumRange
    (param $from i32) (param $to i32) (param $pCell i32) (param $pZ i32) (param $pE i32) (param $pY i32) (param $pW i32)
    (param $pCellRate i32) (param $pZRate i32) (param $pZValues i32) (param $pCellGrad i32) (param $phi f64) (param $out i32)
    (local $g i32) (local $c i32) (local $z i32) (local $at i32)
    (local $mu f64) (local $muPhi f64) (local $logMuPhi f64) (local $w f64) (local $yPhi f64) (local $ratio f64) (local $r f64)
    (local $lp f64) (local $dPhi f64) (local $gradGamma f64)
    (local.set $lp (f64.load (local.get $out)))
    (local.set $dPhi (f64.load offset=8 (local.get $out)))
    (local.set $gradGamma (f64.load offset=16 (local.get $out)))
    (local.set $g (local.get $from))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $g) (local.get $to)))
        (local.set $c (i32.shl (i32.load (i32.add (local.get $pCell) (i32.shl (local.get $g) (i32.const 2)))) (i32.const 3)))
        (local.set $z (i32.shl (i32.load (i32.add (local.get $pZ) (i32.shl (local.get $g) (i32.const 2)))) (i32.const 3)))
        (local.set $mu (f64.mul
          (f64.mul
            (f64.load (i32.add (local.get $pE) (i32.shl (local.get $g) (i32.const 3))))
            (f64.load (i32.add (local.get $pCellRate) (local.get $c))))
          (f64.load (i32.add (local.get $pZRate) (local.get $z)))))
        (local.set $muPhi (f64.add (local.get $mu) (local.get $phi)))
        (local.set $logMuPhi (call $log (local.get $muPhi)))
        (local.set $w (f64.load (i32.add (local.get $pW) (i32.shl (local.get $g) (i32.const 3)))))
        (local.set $yPhi (f64.add (f64.load (i32.add (local.get $pY) (i32.shl (local.get $g) (i32.const 3)))) (f64.mul (local.get $w) (local.get $phi))))
        (local.set $ratio (f64.div (local.get $yPhi) (local.get $muPhi)))
        (local.set $lp (f64.sub (local.get $lp) (f64.mul (local.get $yPhi) (local.get $logMuPhi))))
        (local.set $r (f64.mul (local.get $ratio) (local.get $mu)))
        (local.set $at (i32.add (local.get $pCellGrad) (local.get $c)))
        (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (local.get $r)))
        (local.set $gradGamma (f64.sub (local.get $gradGamma) (f64.mul (local.get $r) (f64.load (i32.add (local.get $pZValues) (local.get $z))))))
        (local.set $dPhi (f64.sub (local.get $dPhi) (f64.add (f64.mul (local.get $w) (local.get $logMuPhi)) (local.get $ratio))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group)))
    (f64.store (local.get $out) (local.get $lp))
    (f64.store offset=8 (local.get $out) (local.get $dPhi))
    (f64.store offset=16 (local.get $out) (local.get $gradGamma)))

  ;; Sums groups [0, n) two at a time: writes lp, dPhi's and gradGamma's shares at out,
  ;; out + 8 and out + 16, and subtracts each group's term from cellGrad[cell]. Returns 1
  ;; when some mu + phi was not a positive normal double (the sums are then wrong: sum again
  ;; with `sumGroupsOneByOne`), else 0. Pointers are byte addresses of arrays: cell, z: i32
  ;; per group; e, y, w: f64 per group; cellRate, cellGrad: f64 per cell; zRate, zValues:
  ;; f64 per distinct baseline value.
  (func (export "sumGroups")
    (param $n i32) (param $pCell i32) (param $pZ i32) (param $pE i32) (param $pY i32) (param $pW i32)
    (param $pCellRate i32) (param $pZRate i32) (param $pZValues i32) (param $pCellGrad i32)
    (param $phi f64) (param $out i32) (result i32)
    (local $g i32) (local $pairs i32) (local $o4 i32) (local $o8 i32)
    (local $c0 i32) (local $c1 i32) (local $z0 i32) (local $z1 i32) (local $j0 i32) (local $j1 i32) (local $at i32)
    (local $phiPair v128) (local $mu v128) (local $muPhi v128) (local $logMuPhi v128) (local $w v128)
    (local $yPhi v128) (local $ratio v128) (local $r v128) (local $u v128) (local $u2 v128) (local $k v128)
    (local $lp v128) (local $dPhi v128) (local $gradGamma v128) (local $smallest v128) (local $largest v128)
    (local.set $phiPair (f64x2.splat (local.get $phi)))
    (local.set $smallest (v128.const f64x2 1 1))
    (local.set $largest (v128.const f64x2 1 1))
    (local.set $pairs (i32.and (local.get $n) (i32.const -2)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $g) (local.get $pairs)))
        (local.set $o4 (i32.shl (local.get $g) (i32.const 2)))
        (local.set $o8 (i32.shl (local.get $g) (i32.const 3)))
        (local.set $c0 (i32.shl (i32.load (i32.add (local.get $pCell) (local.get $o4))) (i32.const 3)))
        (local.set $c1 (i32.shl (i32.load offset=4 (i32.add (local.get $pCell) (local.get $o4))) (i32.const 3)))
        (local.set $z0 (i32.shl (i32.load (i32.add (local.get $pZ) (local.get $o4))) (i32.const 3)))
        (local.set $z1 (i32.shl (i32.load offset=4 (i32.add (local.get $pZ) (local.get $o4))) (i32.const 3)))
        (local.set $mu (f64x2.mul
          (f64x2.mul
            (v128.load (i32.add (local.get $pE) (local.get $o8)))
            (v128.load64_lane 1 (i32.add (local.get $pCellRate) (local.get $c1)) (v128.load64_zero (i32.add (local.get $pCellRate) (local.get $c0)))))
          (v128.load64_lane 1 (i32.add (local.get $pZRate) (local.get $z1)) (v128.load64_zero (i32.add (local.get $pZRate) (local.get $z0))))))
        (local.set $muPhi (f64x2.add (local.get $mu) (local.get $phiPair)))
        ;; NaN in either lane makes both min and max NaN, which the check after the loop rejects
        (local.set $smallest (f64x2.min (local.get $smallest) (local.get $muPhi)))
        (local.set $largest (f64x2.max (local.get $largest) (local.get $muPhi)))
        ;; the logarithm of both lanes, as $log computes it, written out here (a call costs 15%)
        (local.set $j0 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 0 (local.get $muPhi)) (i64.const 42))) (i32.const 1023)) (i32.const 4)))
        (local.set $j1 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (i64x2.extract_lane 1 (local.get $muPhi)) (i64.const 42))) (i32.const 1023)) (i32.const 4)))
        (local.set $u (f64x2.sub
          (f64x2.mul
            (v128.or
              (v128.and (local.get $muPhi) (v128.const i64x2 0x000fffffffffffff 0x000fffffffffffff))
              (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000))
            (v128.load64_lane offset=8 1 (local.get $j1) (v128.load64_zero offset=8 (local.get $j0))))
          (v128.const f64x2 1 1)))
        (local.set $u2 (f64x2.mul (local.get $u) (local.get $u)))
        ;; k as a double, exactly: the biased exponent e in a double's low bits is 2^52 + e
        (local.set $k (f64x2.sub
          (v128.or (i64x2.shr_u (local.get $muPhi) (i32.const 52)) (v128.const i64x2 0x4330000000000000 0x4330000000000000))
          (v128.const f64x2 0x1.00000000003ffp+52 0x1.00000000003ffp+52)))
        (local.set $logMuPhi (f64x2.add
          (f64x2.add
            (f64x2.mul (local.get $k) (v128.const f64x2 0x1.62e42fefa39efp-1 0x1.62e42fefa39efp-1))
            (v128.load64_lane 1 (local.get $j1) (v128.load64_zero (local.get $j0))))
          (f64x2.add (local.get $u)
            (f64x2.mul (local.get $u2)
              (f64x2.add (v128.const f64x2 -0.5 -0.5)
                (f64x2.sub
                  (f64x2.mul (local.get $u) (v128.const f64x2 0x1.5555555555555p-2 0x1.5555555555555p-2))
                  (f64x2.mul (local.get $u2) (v128.const f64x2 0.25 0.25))))))))
        (local.set $w (v128.load (i32.add (local.get $pW) (local.get $o8))))
        (local.set $yPhi (f64x2.add (v128.load (i32.add (local.get $pY) (local.get $o8))) (f64x2.mul (local.get $w) (local.get $phiPair))))
        (local.set $ratio (f64x2.div (local.get $yPhi) (local.get $muPhi)))
        (local.set $lp (f64x2.sub (local.get $lp) (f64x2.mul (local.get $yPhi) (local.get $logMuPhi))))
        (local.set $r (f64x2.mul (local.get $ratio) (local.get $mu)))
        ;; one lane after the other, so two groups of the same cell both count
        (local.set $at (i32.add (local.get $pCellGrad) (local.get $c0)))
        (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (f64x2.extract_lane 0 (local.get $r))))
        (local.set $at (i32.add (local.get $pCellGrad) (local.get $c1)))
        (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (f64x2.extract_lane 1 (local.get $r))))
        (local.set $gradGamma (f64x2.sub (local.get $gradGamma) (f64x2.mul (local.get $r)
          (v128.load64_lane 1 (i32.add (local.get $pZValues) (local.get $z1)) (v128.load64_zero (i32.add (local.get $pZValues) (local.get $z0)))))))
        (local.set $dPhi (f64x2.sub (local.get $dPhi) (f64x2.add (f64x2.mul (local.get $w) (local.get $logMuPhi)) (local.get $ratio))))
        (local.set $g (i32.add (local.get $g) (i32.const 2)))
        (br $pair)))
    (f64.store (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $lp)) (f64x2.extract_lane 1 (local.get $lp))))
    (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $dPhi)) (f64x2.extract_lane 1 (local.get $dPhi))))
    (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $gradGamma)) (f64x2.extract_lane 1 (local.get $gradGamma))))
    (call $sumRange (local.get $pairs) (local.get $n) (local.get $pCell) (local.get $pZ) (local.get $pE) (local.get $pY) (local.get $pW)
      (local.get $pCellRate) (local.get $pZRate) (local.get $pZValues) (local.get $pCellGrad) (local.get $phi) (local.get $out))
    (i32.eqz (i32.and
      (f64.ge (f64.min (f64x2.extract_lane 0 (local.get $smallest)) (f64x2.extract_lane 1 (local.get $smallest))) (f64.const 0x1p-1022))
      (f64.le (f64.max (f64x2.extract_lane 0 (local.get $largest)) (f64x2.extract_lane 1 (local.get $largest))) (f64.const 0x1.fffffffffffffp+1023)))))

  ;; `sumGroups` one group at a time, with the logarithm that handles every argument.
  (func (export "sumGroupsOneByOne")
    (param $n i32) (param $pCell i32) (param $pZ i32) (param $pE i32) (param $pY i32) (param $pW i32)
    (param $pCellRate i32) (param $pZRate i32) (param $pZValues i32) (param $pCellGrad i32)
    (param $phi f64) (param $out i32)
    (f64.store (local.get $out) (f64.const 0))
    (f64.store offset=8 (local.get $out) (f64.const 0))
    (f64.store offset=16 (local.get $out) (f64.const 0))
    (call $sumRange (i32.const 0) (local.get $n) (local.get $pCell) (local.get $pZ) (local.get $pE) (local.get $pY) (local.get $pW)
      (local.get $pCellRate) (local.get $pZRate) (local.get $pZValues) (local.get $pCellGrad) (local.get $phi) (local.get $out)))
)
