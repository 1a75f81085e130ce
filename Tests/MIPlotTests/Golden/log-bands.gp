# log-bands.gp: a figure, drawn by MIPlot; its data is log-bands.dat, beside this file.
# Redraw it from this directory:
#   gnuplot log-bands.gp                       writes log-bands.svg
#   gnuplot -e 'format="png"' log-bands.gp     writes log-bands.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' log-bands.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' log-bands.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'log-bands.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'log-bands.dat'

# Panel 1 (row 1, column 1): Variance of the estimate
reset
set title 'Variance of the estimate'
set xlabel 'batch size K'
set ylabel 'variance (nats^2)'
set logscale x 10
set logscale y 10
set key inside bottom left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
set arrow from first 64, graph 0 to first 64, graph 1 nohead front lc rgb '#000000' lw 1.5 dt 3
plot \
    data index 0 using 1:2:3 with filledcurves fc rgb '#0072B2' fs transparent solid 0.25 noborder notitle, \
    data index 1 using 1:2:3 with filledcurves fc rgb '#D55E00' fs transparent solid 0.25 noborder notitle, \
    data index 2 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'nwj', \
    data index 3 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'nce', \
    data index 4 using 1:2:3 with yerrorbars lw 1.2 pt 5 ps 1 lc rgb '#009E73' title 'alpha=0.5', \
    keyentry with lines lc rgb '#000000' lw 1.5 dt 3 title 'K used in Fig. 2'

unset output
