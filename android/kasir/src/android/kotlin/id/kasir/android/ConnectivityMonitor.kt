package id.kasir.android

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import id.kasir.core.NetworkMonitor
import id.kasir.core.ReachabilityListener

/** Reachability from `ConnectivityManager`: a network that comes back wakes background sync. */
class ConnectivityMonitor(context: Context) : NetworkMonitor {
    private val manager = context.getSystemService(ConnectivityManager::class.java)
    private var callback: ConnectivityManager.NetworkCallback? = null

    override fun isReachable(): Boolean {
        val capabilities = manager.getNetworkCapabilities(manager.activeNetwork) ?: return false
        return capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET)
    }

    override fun start(listener: ReachabilityListener) {
        val callback = object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) = listener.changed(true)

            override fun onLost(network: Network) = listener.changed(isReachable())
        }
        manager.registerDefaultNetworkCallback(callback)
        this.callback = callback
    }

    override fun stop() {
        callback?.let(manager::unregisterNetworkCallback)
        callback = null
    }
}
