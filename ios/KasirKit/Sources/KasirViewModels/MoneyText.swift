// The texts of amounts, as the core formats them, kept per view model (Kotlin `MoneyText`).

import Foundation
import KasirKit

/// The texts of amounts in the store's currency, as the core formats them, for one view model.
/// A redraw gives ``prepare(_:)`` every amount it will show, which formats the ones not seen
/// before in one call into the core; ``text(_:)`` then answers from what is kept. The same
/// amounts recur from one redraw to the next (unit prices, untouched lines), so most redraws
/// cross once or not at all. At most `capacity` texts are kept (the oldest go first).
final class MoneyText {
    private let kasir: KasirStore
    let language: Language
    private let capacity: Int
    private var texts: [Decimal: String] = [:]
    private var order: [Decimal] = []

    init(kasir: KasirStore, language: Language, capacity: Int = 1024) {
        self.kasir = kasir
        self.language = language
        self.capacity = capacity
    }

    /// Formats every amount of `amounts` not kept yet, in one call.
    func prepare(_ amounts: [Decimal]) {
        var missing: [Decimal] = []
        for amount in amounts where texts[amount] == nil && !missing.contains(amount) {
            missing.append(amount)
        }
        guard !missing.isEmpty, let formatted = try? kasir.formatAmounts(missing, locale: language.core),
              formatted.count == missing.count
        else { return }
        for (amount, text) in zip(missing, formatted) { keep(amount, text) }
    }

    /// The text of `amount` (`Rp 12.500`). The core refuses only when the store file cannot
    /// be read; the plain digits still tell the clerk the amount then.
    func text(_ amount: Decimal) -> String {
        if let text = texts[amount] { return text }
        guard let text = try? kasir.formatMoney(amount, locale: language.core) else { return plainText(amount) }
        keep(amount, text)
        return text
    }

    private func keep(_ amount: Decimal, _ text: String) {
        texts[amount] = text
        order.append(amount)
        if order.count > capacity {
            texts[order.removeFirst()] = nil
        }
    }
}
