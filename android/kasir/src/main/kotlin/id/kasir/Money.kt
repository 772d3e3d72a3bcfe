package id.kasir

import id.kasir.core.domain.Discount
import java.math.BigDecimal

/** A discount of [percent] percent (`"10"` or `10` for 10%). */
fun percentOff(percent: String): Discount = Discount.Percent(BigDecimal(percent))

/** A discount of [percent] percent. */
fun percentOff(percent: Int): Discount = Discount.Percent(BigDecimal(percent))

/** A discount of a fixed [amount] in the store's currency (`"5000"`). */
fun amountOff(amount: String): Discount = Discount.Amount(BigDecimal(amount))

/** An amount of money written as digits, for example `"35000"` or `"12.50"`. */
fun money(amount: String): BigDecimal = BigDecimal(amount)
