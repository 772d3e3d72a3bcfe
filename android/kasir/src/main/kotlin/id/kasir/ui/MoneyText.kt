package id.kasir.ui

import id.kasir.Kasir
import java.math.BigDecimal

/**
 * The texts of amounts in the store's currency, as the core formats them, for one view model.
 * A redraw gives [prepare] every amount it will show, which formats the ones not seen before in
 * one call into the core; [text] then answers from what is kept. The same amounts recur from
 * one redraw to the next (unit prices, untouched lines), so most redraws cross once or not at
 * all. At most [capacity] texts are kept.
 */
class MoneyText(private val kasir: Kasir, val language: Language, private val capacity: Int = 1024) {
    private val texts = object : LinkedHashMap<BigDecimal, String>(64, 0.75f, true) {
        override fun removeEldestEntry(eldest: MutableMap.MutableEntry<BigDecimal, String>?): Boolean = size > capacity
    }

    /** Formats every amount of [amounts] not kept yet, in one call. */
    @Synchronized
    fun prepare(amounts: Collection<BigDecimal>) {
        val missing = amounts.filterNot { it in texts }.distinct()
        if (missing.isEmpty()) return
        missing.zip(kasir.formatAmounts(missing, language.core)).forEach { (amount, text) -> texts[amount] = text }
    }

    /** The text of [amount] (`Rp 12.500`). */
    @Synchronized
    fun text(amount: BigDecimal): String = texts[amount] ?: kasir.formatMoney(amount, language.core).also { texts[amount] = it }
}
