package id.kasir.app.camera

import android.Manifest
import android.app.Activity
import android.content.Context
import android.content.ContextWrapper
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Handler
import android.os.Looper
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.UseCaseGroup
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.app.ActivityCompat
import androidx.core.content.ContextCompat
import androidx.core.view.doOnLayout
import androidx.lifecycle.compose.LocalLifecycleOwner
import id.kasir.CameraScanner
import id.kasir.app.ui.BigButton
import id.kasir.core.KasirException
import id.kasir.ui.Label
import id.kasir.ui.RegisterViewModel
import id.kasir.ui.Viewfinder
import java.util.concurrent.Executors

/**
 * CameraX image analysis into the core's decoder: each frame's Y plane (YUV_420_888 plane 0,
 * one byte per pixel, rows `rowStride` apart) goes to [CameraScanner.frame] on the analysis
 * thread, limited to the viewfinder drawn over the preview; a new read is handed to [onNewCode]
 * on the main thread. Repeats are the core's call.
 *
 * The preview and the analysis are bound with the preview's viewport, so the frame's crop
 * rectangle is the part of the picture the preview shows, and [Viewfinder.region] finds the
 * drawn frame in the buffer from it and the frame's rotation.
 */
class FrameAnalyzer(
    private val scanner: CameraScanner,
    private val onNewCode: (String) -> Unit,
) : ImageAnalysis.Analyzer {
    private val main = Handler(Looper.getMainLooper())

    override fun analyze(image: ImageProxy) {
        image.use {
            val y = it.planes[0]
            val crop = it.cropRect
            val region = Viewfinder.region(crop.left, crop.top, crop.width(), crop.height(), it.imageInfo.rotationDegrees)
            val read = try {
                scanner.frame(y.buffer, it.width, it.height, y.rowStride, it.imageInfo.timestamp / 1_000_000, region)
            } catch (e: KasirException) {
                null // A frame the core refuses is dropped; the next one follows in milliseconds.
            }
            if (read != null && read.isNew) main.post { onNewCode(read.code) }
        }
    }
}

/** Where the camera permission stands for the scanner. */
private enum class CameraPermission { GRANTED, NOT_ASKED, DENIED, DENIED_PERMANENTLY }

private tailrec fun Context.activity(): Activity? = when (this) {
    is Activity -> this
    is ContextWrapper -> baseContext.activity()
    else -> null
}

/**
 * The register scanner's live camera (the shared screens' `CameraPreview` slot): asks for the
 * camera permission, shows the preview and scans every accepted code into [register] (its
 * [id.kasir.ui.ScanEvent] plays the sound or haptic and shows the feedback). Only the latest
 * frame is analysed; older ones are dropped while the core decodes. Without the permission it
 * says so, with a button that asks again or, once Android no longer asks, opens the app's
 * settings.
 */
@Composable
fun CameraScanPreview(register: RegisterViewModel, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val lifecycle = LocalLifecycleOwner.current
    val language = register.language
    fun current(asked: Boolean): CameraPermission {
        val activity = context.activity()
        return when {
            ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED -> CameraPermission.GRANTED
            !asked -> CameraPermission.NOT_ASKED
            activity != null && ActivityCompat.shouldShowRequestPermissionRationale(activity, Manifest.permission.CAMERA) -> CameraPermission.DENIED
            else -> CameraPermission.DENIED_PERMANENTLY
        }
    }
    var asked by remember { mutableStateOf(false) }
    var permission by remember { mutableStateOf(current(asked = false)) }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) {
        asked = true
        permission = current(asked = true)
    }
    LaunchedEffect(Unit) { if (permission == CameraPermission.NOT_ASKED) ask.launch(Manifest.permission.CAMERA) }
    // Back from the settings: read the permission again.
    DisposableEffect(lifecycle) {
        val observer = androidx.lifecycle.LifecycleEventObserver { _, event ->
            if (event == androidx.lifecycle.Lifecycle.Event.ON_RESUME) permission = current(asked)
        }
        lifecycle.lifecycle.addObserver(observer)
        onDispose { lifecycle.lifecycle.removeObserver(observer) }
    }
    if (permission != CameraPermission.GRANTED) {
        Box(modifier, contentAlignment = Alignment.Center) {
            Column(Modifier.padding(24.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
                val text = when (permission) {
                    CameraPermission.DENIED_PERMANENTLY -> Label.CAMERA_DENIED
                    CameraPermission.DENIED -> Label.CAMERA_REFUSED
                    else -> Label.CAMERA_NOT_ASKED
                }
                Text(
                    text.text(language),
                    color = Color.White,
                    style = MaterialTheme.typography.titleMedium,
                    textAlign = TextAlign.Center,
                    modifier = Modifier.fillMaxWidth(),
                )
                if (permission == CameraPermission.DENIED_PERMANENTLY) {
                    BigButton(Label.OPEN_SETTINGS.text(language), {
                        context.startActivity(
                            Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", context.packageName, null))
                                .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK),
                        )
                    })
                } else {
                    BigButton(Label.ALLOW_CAMERA.text(language), { ask.launch(Manifest.permission.CAMERA) })
                }
            }
        }
        return
    }

    val previewView = remember {
        PreviewView(context).apply { scaleType = PreviewView.ScaleType.FILL_CENTER }
    }
    DisposableEffect(register) {
        val scanner = CameraScanner()
        val executor = Executors.newSingleThreadExecutor()
        val providerFuture = ProcessCameraProvider.getInstance(context)
        var disposed = false
        providerFuture.addListener({
            // The viewport is known once the view has its size.
            previewView.doOnLayout {
                if (disposed) return@doOnLayout
                val viewPort = previewView.viewPort ?: return@doOnLayout
                val provider = providerFuture.get()
                val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
                val analysis = ImageAnalysis.Builder()
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                    .build()
                    .also { it.setAnalyzer(executor, FrameAnalyzer(scanner) { code -> register.scan(code) }) }
                // One viewport for both: the analysed frames are cropped to what the preview shows.
                val group = UseCaseGroup.Builder().setViewPort(viewPort).addUseCase(preview).addUseCase(analysis).build()
                provider.unbindAll()
                provider.bindToLifecycle(lifecycle, CameraSelector.DEFAULT_BACK_CAMERA, group)
            }
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            disposed = true
            if (providerFuture.isDone) providerFuture.get().unbindAll()
            executor.shutdown()
            // The bindings free the scanner once a frame still being decoded has returned.
            scanner.close()
        }
    }
    AndroidView(factory = { previewView }, modifier = modifier)
}
