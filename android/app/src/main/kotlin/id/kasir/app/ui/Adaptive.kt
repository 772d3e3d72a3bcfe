package id.kasir.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.VerticalDivider
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp

/** From this width on (a tablet, a desktop window) two panes are shown side by side. */
val TwoPaneMinWidth: Dp = 840.dp

/**
 * Two panes side by side when there is room ([TwoPaneMinWidth]), else only the one [showSecond]
 * picks: on a tablet the cart beside the catalog or keypad, on a phone one at a time.
 */
@Composable
fun TwoPane(
    showSecond: Boolean,
    first: @Composable (wide: Boolean) -> Unit,
    second: @Composable (wide: Boolean) -> Unit,
    modifier: Modifier = Modifier,
    firstWeight: Float = 0.58f,
) {
    BoxWithConstraints(modifier.fillMaxSize()) {
        if (maxWidth >= TwoPaneMinWidth) {
            Row(Modifier.fillMaxSize()) {
                Box(Modifier.weight(firstWeight).fillMaxHeight()) { first(true) }
                VerticalDivider()
                Box(Modifier.weight(1f - firstWeight).fillMaxHeight()) { second(true) }
            }
        } else {
            Box(Modifier.fillMaxSize()) { if (showSecond) second(false) else first(false) }
        }
    }
}

/** Whether the window is wide enough for two panes. */
@Composable
fun isWide(width: Dp): Boolean = width >= TwoPaneMinWidth

