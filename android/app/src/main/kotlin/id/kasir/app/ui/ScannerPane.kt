package id.kasir.app.ui

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.RegisterState
import id.kasir.ui.RegisterViewModel
import id.kasir.ui.ScanEvent
import id.kasir.ui.Viewfinder

/**
 * The platform's live camera for the register's scanner, drawn into the given modifier's
 * bounds: on Android a CameraX preview whose frames go to the core through the viewfinder's
 * region ([Viewfinder.region]); where there is no camera, [NoCameraPreview].
 */
typealias CameraPreview = @Composable (register: RegisterViewModel, modifier: Modifier) -> Unit

/** The camera scanner: the platform's preview with the viewfinder, the last scan's outcome and the way out. */
@Composable
internal fun ScannerPane(
    state: RegisterState,
    model: RegisterViewModel,
    preview: CameraPreview,
    /** On a phone the scanner covers the cart: its count and total are shown under the feedback. */
    showCartSummary: Boolean,
) {
    val language = model.language
    Column(Modifier.fillMaxSize().padding(horizontal = 12.dp)) {
        Row(Modifier.fillMaxWidth().padding(vertical = 4.dp), verticalAlignment = Alignment.CenterVertically) {
            Heading(Label.SCANNER_TITLE.text(language), Modifier.weight(1f))
            TextButton(onClick = model::closeScanner, modifier = Modifier.heightIn(min = MinTouchTarget)) {
                Text(Label.CLOSE_SCANNER.text(language))
            }
        }
        Box(
            Modifier
                .weight(1f)
                .fillMaxWidth()
                .clip(RoundedCornerShape(12.dp))
                .background(Color(0xFF1B1B1F))
                .semantics { contentDescription = Label.VIEWFINDER.text(language) },
        ) {
            preview(model, Modifier.fillMaxSize())
            ViewfinderOverlay(Modifier.fillMaxSize())
        }
        ScanFeedback(state.lastScan, language)
        if (showCartSummary) {
            AmountRow(Label.ITEMS_COUNT.format(language, state.lineCount), state.totalText, Modifier.padding(bottom = 8.dp), strong = true)
        }
    }
}

/** The outcome of the last scan, announced by screen readers: the item added and the new total, or why not. */
@Composable
private fun ScanFeedback(event: ScanEvent?, language: Language) {
    val (title, detail, accepted) = when (event) {
        null -> Triple(Label.SCANNER_HINT.text(language), null, null)
        is ScanEvent.Accepted -> Triple(Label.SCAN_ADDED.format(language, event.name), Label.SCAN_TOTAL.format(language, event.totalText), true)
        is ScanEvent.Rejected -> Triple(Label.SCAN_NOT_ADDED.format(language, event.message.title), event.message.detail, false)
    }
    val colors = when (accepted) {
        true -> CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.primaryContainer,
            contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
        )
        false -> CardDefaults.cardColors(
            containerColor = MaterialTheme.colorScheme.errorContainer,
            contentColor = MaterialTheme.colorScheme.onErrorContainer,
        )
        null -> CardDefaults.cardColors()
    }
    Card(
        colors = colors,
        modifier = Modifier.fillMaxWidth().padding(vertical = 8.dp).heightIn(min = 64.dp).semantics(mergeDescendants = true) {
            liveRegion = LiveRegionMode.Polite
        },
    ) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        }
    }
}

/** The viewfinder over the preview: the picture outside it dimmed, its edge drawn. */
@Composable
fun ViewfinderOverlay(modifier: Modifier = Modifier) {
    Canvas(modifier) {
        val left = size.width * Viewfinder.LEFT / 1000f
        val top = size.height * Viewfinder.TOP / 1000f
        val right = size.width * Viewfinder.RIGHT / 1000f
        val bottom = size.height * Viewfinder.BOTTOM / 1000f
        val dim = Color.Black.copy(alpha = 0.45f)
        drawRect(dim, Offset.Zero, Size(size.width, top))
        drawRect(dim, Offset(0f, bottom), Size(size.width, size.height - bottom))
        drawRect(dim, Offset(0f, top), Size(left, bottom - top))
        drawRect(dim, Offset(right, top), Size(size.width - right, bottom - top))
        drawRect(Color.White, Offset(left, top), Size(right - left, bottom - top), style = Stroke(width = 3.dp.toPx()))
    }
}

/** Where there is no camera (the desktop): says so, and points to the scanner and the keyboard. */
@Composable
fun NoCameraPreview(register: RegisterViewModel, modifier: Modifier = Modifier) {
    Box(modifier, contentAlignment = Alignment.TopCenter) {
        Text(
            Label.NO_CAMERA.text(register.language),
            color = Color.White,
            style = MaterialTheme.typography.titleMedium,
            textAlign = TextAlign.Center,
            modifier = Modifier.fillMaxWidth().padding(24.dp),
        )
    }
}
