package id.kasir.app.camera

import android.Manifest
import android.content.pm.PackageManager
import android.os.Handler
import android.os.Looper
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import id.kasir.CameraScanner
import id.kasir.core.KasirException
import id.kasir.ui.RegisterViewModel
import java.util.concurrent.Executors

/**
 * CameraX image analysis into the core's decoder: each frame's Y plane (YUV_420_888 plane 0,
 * one byte per pixel, rows `rowStride` apart) goes to [CameraScanner.frame] on the analysis
 * thread; a new read is handed to [onNewCode] on the main thread. Repeats are the core's call.
 */
class FrameAnalyzer(
    private val scanner: CameraScanner,
    private val onNewCode: (String) -> Unit,
) : ImageAnalysis.Analyzer {
    private val main = Handler(Looper.getMainLooper())

    override fun analyze(image: ImageProxy) {
        image.use {
            val y = it.planes[0]
            val read = try {
                scanner.frame(y.buffer, it.width, it.height, y.rowStride, it.imageInfo.timestamp / 1_000_000)
            } catch (e: KasirException) {
                null // A frame the core refuses is dropped; the next one follows in milliseconds.
            }
            if (read != null && read.isNew) main.post { onNewCode(read.code) }
        }
    }
}

/**
 * The live camera for queue-busting: asks for the camera permission, shows the preview and
 * scans every accepted code into [register] (its [id.kasir.ui.ScanEvent] plays the sound or
 * haptic). Only the latest frame is analysed; older ones are dropped while the core decodes.
 */
@Composable
fun CameraScanPreview(register: RegisterViewModel, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val lifecycle = LocalLifecycleOwner.current
    var granted by remember {
        mutableStateOf(
            ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED,
        )
    }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted = it }
    LaunchedEffect(Unit) { if (!granted) ask.launch(Manifest.permission.CAMERA) }
    if (!granted) return

    val previewView = remember { PreviewView(context) }
    DisposableEffect(register) {
        val scanner = CameraScanner()
        val executor = Executors.newSingleThreadExecutor()
        val providerFuture = ProcessCameraProvider.getInstance(context)
        providerFuture.addListener({
            val provider = providerFuture.get()
            val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
            val analysis = ImageAnalysis.Builder()
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                .build()
                .also { it.setAnalyzer(executor, FrameAnalyzer(scanner) { code -> register.scan(code) }) }
            provider.unbindAll()
            provider.bindToLifecycle(lifecycle, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            if (providerFuture.isDone) providerFuture.get().unbindAll()
            executor.shutdown()
            // The bindings free the scanner once a frame still being decoded has returned.
            scanner.close()
        }
    }
    AndroidView(factory = { previewView }, modifier = modifier)
}
