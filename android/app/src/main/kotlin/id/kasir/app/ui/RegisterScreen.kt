package id.kasir.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.LazyRow
import androidx.compose.foundation.lazy.grid.GridCells
import androidx.compose.foundation.lazy.grid.LazyVerticalGrid
import androidx.compose.foundation.lazy.grid.items
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.focus.FocusRequester
import androidx.compose.ui.focus.focusRequester
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import id.kasir.ui.ItemTile
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.LineRow
import id.kasir.ui.RegisterState
import id.kasir.ui.RegisterViewModel

/**
 * The register: the catalog (search, favourites, category grid) and the cart. On a tablet
 * both side by side; on a phone one at a time, switched by the bar at the bottom.
 */
@Composable
fun RegisterScreen(
    model: RegisterViewModel,
    onPay: () -> Unit,
    startWithCart: Boolean = false,
    /** A cart line whose editor is open from the start. */
    editLine: Int? = null,
    /** Whether the search field takes the focus at once, for a scanner that types (desktop, tablet with a USB scanner). */
    focusSearch: Boolean = false,
    /** The platform's camera for the scanner (null: no camera button). */
    cameraPreview: CameraPreview? = null,
) {
    val state by model.state.collectAsState()
    var showCart by remember { mutableStateOf(startWithCart) }
    var editing by remember { mutableStateOf(editLine) }
    val language = model.language
    val scanning = state.scannerOpen && cameraPreview != null
    TwoPane(
        // A phone shows the scanner over the cart; a tablet beside it.
        showSecond = showCart && !scanning,
        first = { wide ->
            if (scanning && cameraPreview != null) {
                ScannerPane(state, model, cameraPreview, showCartSummary = !wide)
            } else {
                Column(Modifier.fillMaxSize()) {
                    Catalog(state, language, model, focusSearch, camera = cameraPreview != null, Modifier.weight(1f))
                    if (!wide) PaneSwitch(state, language, showCart = false, onSwitch = { showCart = true })
                }
            }
        },
        second = { wide ->
            Column(Modifier.fillMaxSize()) {
                Cart(state, language, onLine = { editing = it }, onPay = onPay, model = model, modifier = Modifier.weight(1f))
                if (!wide) PaneSwitch(state, language, showCart = true, onSwitch = { showCart = false })
            }
        },
    )
    val line = editing?.let { n -> state.lines.firstOrNull { it.number == n } }
    if (line != null) {
        LineEditor(line, language, state.canEdit, model, onClose = { editing = null })
    }
}

/** The phone's switch between the catalog and the cart, with the cart's count and total. */
@Composable
private fun PaneSwitch(state: RegisterState, language: Language, showCart: Boolean, onSwitch: () -> Unit) {
    HorizontalDivider()
    Row(Modifier.fillMaxWidth().padding(8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        if (showCart) {
            SecondaryButton(Label.CATALOG.text(language), onSwitch, Modifier.fillMaxWidth())
        } else {
            val cart = Label.ITEMS_COUNT.format(language, state.lineCount) + " · " + state.totalText
            BigButton("${Label.CART.text(language)}: $cart", onSwitch)
        }
    }
}

@Composable
private fun Catalog(
    state: RegisterState,
    language: Language,
    model: RegisterViewModel,
    focusSearch: Boolean,
    camera: Boolean,
    modifier: Modifier,
) {
    Column(modifier.fillMaxSize().padding(horizontal = 12.dp)) {
        // The field has the focus from the start: a USB or Bluetooth scanner types into it.
        val focus = remember { FocusRequester() }
        if (focusSearch) LaunchedEffect(focus) { focus.requestFocus() }
        Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            SearchField(state, language, model, focus, Modifier.weight(1f))
            if (camera) {
                // As tall as the field with its label's room above it, so that both centre alike.
                OutlinedButton(
                    onClick = model::openScanner,
                    modifier = Modifier.padding(top = 16.dp).heightIn(min = 56.dp).semantics {
                        contentDescription = Label.OPEN_SCANNER.text(language)
                    },
                ) { Text(Label.CAMERA.text(language)) }
            }
        }
        MessageBanner(state.message, language, onDismiss = model::dismissMessage)
        val showingResults = state.query.isNotBlank()
        if (!showingResults) {
            LazyRow(
                horizontalArrangement = Arrangement.spacedBy(8.dp),
                modifier = Modifier.fillMaxWidth().padding(vertical = 8.dp),
            ) {
                item {
                    FilterChip(
                        selected = state.selectedCategory == null,
                        onClick = { model.selectCategory(null) },
                        label = { Text(Label.FAVOURITES.text(language)) },
                        modifier = Modifier.heightIn(min = MinTouchTarget),
                    )
                }
                items(state.categories, key = { it.name }) { category ->
                    FilterChip(
                        selected = state.selectedCategory == category.name,
                        onClick = { model.selectCategory(category.name) },
                        label = { Text(category.name) },
                        modifier = Modifier.heightIn(min = MinTouchTarget),
                    )
                }
            }
        }
        val (title, tiles) = when {
            showingResults -> Label.SEARCH.text(language) to state.results
            state.selectedCategory != null -> state.selectedCategory to state.categoryItems
            else -> Label.FAVOURITES.text(language) to state.favourites
        }
        Text(title, style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(vertical = 4.dp))
        if (tiles.isEmpty() && !showingResults && state.selectedCategory == null) {
            Text(
                Label.FAVOURITES_EMPTY.text(language),
                style = MaterialTheme.typography.bodyLarge,
                color = MaterialTheme.colorScheme.outline,
                modifier = Modifier.padding(vertical = 8.dp),
            )
        }
        LazyVerticalGrid(
            columns = GridCells.Adaptive(minSize = 150.dp),
            horizontalArrangement = Arrangement.spacedBy(8.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
            modifier = Modifier.fillMaxSize(),
        ) {
            items(tiles, key = { it.code }) { tile ->
                ItemCard(tile, language, enabled = state.canEdit) { model.add(tile.code) }
            }
        }
    }
}

@Composable
private fun SearchField(state: RegisterState, language: Language, model: RegisterViewModel, focus: FocusRequester, modifier: Modifier) {
    OutlinedTextField(
        value = state.query,
        onValueChange = model::search,
        label = { Text(Label.SEARCH.text(language)) },
        placeholder = { Text(Label.SCAN_OR_TYPE.text(language)) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(imeAction = ImeAction.Done),
        // A scanner "types" the code and Enter: the code is scanned.
        keyboardActions = KeyboardActions(onDone = {
            if (state.query.isNotBlank() && model.scan(state.query.trim())) model.search("")
        }),
        modifier = modifier.padding(top = 8.dp).focusRequester(focus),
    )
}

@Composable
private fun ItemCard(tile: ItemTile, language: Language, enabled: Boolean, onAdd: () -> Unit) {
    Card(
        modifier = Modifier
            .fillMaxWidth()
            .heightIn(min = 88.dp)
            .clickable(enabled = enabled, onClick = onAdd)
            .semantics(mergeDescendants = true) {
                contentDescription = Label.ADD_ITEM.format(language, tile.name, tile.priceText)
            },
    ) {
        Column(Modifier.padding(10.dp)) {
            Text(tile.name, style = MaterialTheme.typography.bodyMedium, maxLines = 2, overflow = TextOverflow.Ellipsis)
            Spacer(Modifier.weight(1f, fill = false))
            Text(tile.priceText, style = MaterialTheme.typography.titleSmall, color = MaterialTheme.colorScheme.primary)
        }
    }
}

@Composable
private fun Cart(
    state: RegisterState,
    language: Language,
    onLine: (Int) -> Unit,
    onPay: () -> Unit,
    model: RegisterViewModel,
    modifier: Modifier,
) {
    Column(modifier.fillMaxSize().padding(horizontal = 12.dp)) {
        Row(Modifier.fillMaxWidth().padding(vertical = 8.dp), verticalAlignment = Alignment.CenterVertically) {
            Heading(Label.CART.text(language), Modifier.weight(1f))
            if (!state.isEmpty && state.canEdit) {
                TextButton(onClick = { model.clearSale() }, modifier = Modifier.heightIn(min = MinTouchTarget)) {
                    Text(Label.NEW_SALE.text(language))
                }
            }
        }
        if (state.lines.isEmpty()) {
            Text(
                Label.CART_EMPTY.text(language),
                style = MaterialTheme.typography.bodyLarge,
                color = MaterialTheme.colorScheme.outline,
                modifier = Modifier.padding(vertical = 24.dp).weight(1f),
            )
        } else {
            LazyColumn(Modifier.weight(1f)) {
                items(state.lines, key = { it.number }) { line ->
                    CartLine(line, language, enabled = state.canEdit) { onLine(line.number) }
                    HorizontalDivider()
                }
            }
        }
        HorizontalDivider()
        Column(Modifier.padding(vertical = 8.dp)) {
            AmountRow(Label.SUBTOTAL.text(language), state.subtotalText)
            state.discountText?.let { AmountRow(Label.DISCOUNT.text(language), it) }
            state.chargesText?.let { AmountRow(Label.CHARGES.text(language), it) }
            if (state.taxIncluded) {
                Text(
                    Label.TAX_INCLUDED.format(language, state.taxText),
                    style = MaterialTheme.typography.bodySmall,
                    color = MaterialTheme.colorScheme.outline,
                )
            } else {
                AmountRow(Label.TAX.text(language), state.taxText)
            }
            AmountRow(Label.TOTAL.text(language), state.totalText, strong = true)
        }
        BigButton(
            "${Label.PAY.text(language)} ${state.totalText}",
            onPay,
            enabled = !state.isEmpty,
            modifier = Modifier.padding(bottom = 8.dp),
        )
    }
}

@Composable
private fun CartLine(line: LineRow, language: Language, enabled: Boolean, onEdit: () -> Unit) {
    val described = buildString {
        append(line.quantityText).append(" × ").append(line.name)
        line.amountText?.let { append(", ").append(it) }
        if (line.voided) append(", ").append(Label.VOIDED.text(language))
    }
    Row(
        Modifier
            .fillMaxWidth()
            .heightIn(min = 56.dp)
            .clickable(enabled = enabled && !line.voided, onClickLabel = Label.EDIT_LINE.format(language, line.number), onClick = onEdit)
            .semantics(mergeDescendants = true) { contentDescription = described }
            .padding(vertical = 6.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Text(
            line.quantityText + "×",
            style = MaterialTheme.typography.titleMedium,
            modifier = Modifier.width(48.dp),
        )
        Column(Modifier.weight(1f)) {
            Text(
                line.name,
                style = MaterialTheme.typography.bodyLarge,
                textDecoration = if (line.voided) TextDecoration.LineThrough else null,
                maxLines = 2,
                overflow = TextOverflow.Ellipsis,
            )
            val detail = listOfNotNull(
                line.unitPriceText,
                line.discountText?.let { "${Label.DISCOUNT.text(language)} $it" },
                line.discountAmountText,
                line.orderDiscountText?.let { "${Label.ORDER_DISCOUNT.text(language)} $it" },
                if (line.voided) Label.VOIDED.text(language) else null,
            ).joinToString(" · ")
            Text(detail, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.outline)
        }
        Text(line.amountText ?: "", style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(start = 8.dp))
    }
}

/** Quantity, discount and void for one line of the cart. */
@Composable
private fun LineEditor(line: LineRow, language: Language, canEdit: Boolean, model: RegisterViewModel, onClose: () -> Unit) {
    var quantity by remember(line.number) { mutableStateOf(line.quantityText) }
    var discount by remember(line.number) { mutableStateOf(line.discountText.orEmpty()) }
    AlertDialog(
        onDismissRequest = onClose,
        title = { Text(line.name) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedTextField(
                    value = quantity,
                    onValueChange = { quantity = it },
                    label = { Text(Label.QUANTITY.text(language)) },
                    singleLine = true,
                    enabled = canEdit,
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedTextField(
                    value = discount,
                    onValueChange = { discount = it },
                    label = { Text(Label.DISCOUNT.text(language)) },
                    placeholder = { Text("10%") },
                    singleLine = true,
                    enabled = canEdit,
                    modifier = Modifier.fillMaxWidth(),
                )
                MessageBanner(model.state.value.message, language)
                SecondaryButton(
                    Label.VOID_LINE.format(language, line.number),
                    onClick = { if (model.voidLine(line.number)) onClose() },
                    enabled = canEdit,
                    modifier = Modifier.fillMaxWidth(),
                )
            }
        },
        confirmButton = {
            TextButton(
                onClick = {
                    val ok = (quantity == line.quantityText || model.setQuantity(line.number, quantity)) &&
                        (discount == line.discountText.orEmpty() || model.setLineDiscount(line.number, discount))
                    if (ok) onClose()
                },
                enabled = canEdit,
                modifier = Modifier.heightIn(min = MinTouchTarget),
            ) { Text(Label.OK.text(language)) }
        },
        dismissButton = {
            TextButton(onClick = onClose, modifier = Modifier.heightIn(min = MinTouchTarget)) {
                Text(Label.CANCEL.text(language))
            }
        },
    )
}
