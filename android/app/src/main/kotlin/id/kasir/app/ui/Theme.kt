package id.kasir.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Typography
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp

/** The smallest touch target of every control: 48 dp (Android's accessibility guideline). */
val MinTouchTarget = 48.dp

private val KasirColors = lightColorScheme(
    primary = Color(0xFF00695C),
    onPrimary = Color.White,
    primaryContainer = Color(0xFFB2DFDB),
    onPrimaryContainer = Color(0xFF00201C),
    secondary = Color(0xFF4A635F),
    secondaryContainer = Color(0xFFCCE8E2),
    onSecondaryContainer = Color(0xFF05201C),
    tertiary = Color(0xFFB26A00),
    tertiaryContainer = Color(0xFFFFDDB5),
    error = Color(0xFFB3261E),
    errorContainer = Color(0xFFF9DEDC),
    background = Color(0xFFFAFDFB),
    surface = Color(0xFFFAFDFB),
    surfaceVariant = Color(0xFFDAE5E1),
    outline = Color(0xFF6F7977),
    surfaceContainerLowest = Color(0xFFFFFFFF),
    surfaceContainerLow = Color(0xFFF1F6F4),
    surfaceContainer = Color(0xFFEBF1EF),
    surfaceContainerHigh = Color(0xFFE5ECEA),
    surfaceContainerHighest = Color(0xFFDFE7E4),
)

/**
 * The register's look. [fontFamily] replaces the platform's default font and [monospace] the
 * receipts' (the screenshot tests pass fixed ones so that every run draws the same pixels);
 * text sizes are in sp, so they follow the user's font scale.
 */
@Composable
fun KasirTheme(fontFamily: FontFamily? = null, monospace: FontFamily? = null, content: @Composable () -> Unit) {
    val base = Typography()
    val typography = if (fontFamily == null) base else base.withFont(fontFamily)
    CompositionLocalProvider(LocalMonospace provides (monospace ?: FontFamily.Monospace)) {
        MaterialTheme(colorScheme = KasirColors, typography = typography, content = content)
    }
}

/** The monospaced font receipts are shown in. */
val LocalMonospace = staticCompositionLocalOf<FontFamily> { FontFamily.Monospace }

private fun Typography.withFont(family: FontFamily): Typography {
    fun TextStyle.f() = copy(fontFamily = family)
    return Typography(
        displayLarge = displayLarge.f(), displayMedium = displayMedium.f(), displaySmall = displaySmall.f(),
        headlineLarge = headlineLarge.f(), headlineMedium = headlineMedium.f(), headlineSmall = headlineSmall.f(),
        titleLarge = titleLarge.f(), titleMedium = titleMedium.f(), titleSmall = titleSmall.f(),
        bodyLarge = bodyLarge.f(), bodyMedium = bodyMedium.f(), bodySmall = bodySmall.f(),
        labelLarge = labelLarge.f(), labelMedium = labelMedium.f(), labelSmall = labelSmall.f(),
    )
}
